import type { AddressInfo } from "node:net";
import { BudgetError } from "@budget/core";
import { serve } from "@hono/node-server";

/** A running Node HTTP server. */
export interface Listening {
  url: string;
  port: number;
  /** Stops accepting, waits for in-flight requests, closes idle keep-alive sockets. */
  close(): Promise<void>;
}

/** A listen failure as a `conflict` that says what to do: a port in use suggests `BUDGET_PORT`. */
function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === "EADDRINUSE")
    return new BudgetError(
      "conflict",
      `port ${port} on ${host} is already in use (another Budget service? \`npm run demo\` attaches to one): ` +
        "choose another with BUDGET_PORT (or --port), 0 for a free one",
      { host, port, reason: "address_in_use" },
    );
  if (err.code === "EACCES")
    return new BudgetError(
      "conflict",
      `not allowed to listen on ${host}:${port}: choose a port above 1023 with BUDGET_PORT (or --port)`,
      { host, port, reason: "access_denied" },
    );
  return err;
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
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(listenError(err, hostname, options.port ?? 0)),
    );
  });
}
