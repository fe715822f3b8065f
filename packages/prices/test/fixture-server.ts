import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";

/** Where the shared, real price fixtures live. */
export const FIXTURES = new URL("./fixtures/", import.meta.url);

const cache = new Map<string, unknown>();

/** A fixture's parsed JSON (gunzipped once, then cloned for each caller). */
export function loadFixture(name: string): unknown {
  if (!cache.has(name))
    cache.set(name, JSON.parse(gunzipSync(readFileSync(new URL(name, FIXTURES))).toString("utf8")));
  return structuredClone(cache.get(name));
}

/** A route: a JSON value to serve, or a raw handler. */
export type Route = unknown | ((req: IncomingMessage, res: ServerResponse) => void);

/** A loopback HTTP server whose routes tests can replace between runs. */
export interface FixtureServer {
  url(path: string): string;
  set(path: string, route: Route): void;
  /** Bytes written by streaming handlers, to prove a cap stopped the read early. */
  bytesSent: Map<string, number>;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 (an ephemeral port). */
export async function startFixtureServer(routes: Record<string, Route> = {}): Promise<FixtureServer> {
  // JSON routes are serialized once, when set, so serving them is cheap.
  const prepare = (route: Route): Route => (typeof route === "function" ? route : JSON.stringify(route));
  const table = new Map(Object.entries(routes).map(([k, r]) => [k, prepare(r)]));
  const bytesSent = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const route = table.get(req.url ?? "");
    if (route === undefined) {
      res.writeHead(404).end();
      return;
    }
    if (typeof route === "function") {
      (route as (req: IncomingMessage, res: ServerResponse) => void)(req, res);
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(route as string);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    set: (path, route) => table.set(path, prepare(route)),
    bytesSent,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A handler streaming `totalBytes` of a never-ending JSON string in 64 KB chunks, as fast as read. */
export function hugeBody(server: () => FixtureServer, path: string, totalBytes: number) {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { "content-type": "application/json" });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    res.write('{"x":"');
    const pump = () => {
      while (sent < totalBytes) {
        sent += chunk.length;
        server().bytesSent.set(path, sent);
        if (!res.write(chunk)) {
          res.once("drain", pump);
          return;
        }
      }
      res.end('"}');
    };
    res.on("close", () => res.destroy());
    pump();
  };
}

/** A handler that accepts the request and never answers. */
export function neverAnswers(_req: IncomingMessage, _res: ServerResponse): void {}
