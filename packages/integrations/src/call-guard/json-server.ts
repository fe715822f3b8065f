import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback server answering every request with one JSON body. */
export interface JsonServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The JSON bodies received so far, oldest first (null: not JSON). */
  readonly bodies: unknown[];
  close(): Promise<void>;
}

/** Starts a {@link JsonServer} on 127.0.0.1, for tests of SDK calls with a fixed answer. */
export async function startJsonServer(body: unknown, status = 200): Promise<JsonServer> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      } catch {
        bodies.push(null);
      }
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
