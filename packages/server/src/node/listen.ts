import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

/** A running Node HTTP server. */
export interface Listening {
  url: string;
  port: number;
  /** Stops accepting, waits for in-flight requests, closes idle keep-alive sockets. */
  close(): Promise<void>;
}

/** Serves a fetch handler on Node; port 0 picks a free one. */
export function listen(
  fetch: (req: Request) => Response | Promise<Response>,
  options: { host?: string; port?: number } = {},
): Promise<Listening> {
  const hostname = options.host ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port: options.port ?? 0 }, (info: AddressInfo) => {
      const host = hostname.includes(":") ? `[${hostname}]` : hostname;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            if ("closeIdleConnections" in server) server.closeIdleConnections();
          }),
      });
    });
    server.once("error", reject);
  });
}
