import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A loopback server that streams server-sent events slowly, so a client can abort mid-stream. */
export interface SlowSseServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Requests received so far. */
  readonly requests: number;
  /** Streams cut by the client before the last event. */
  readonly disconnects: number;
  close(): Promise<void>;
}

/**
 * Answers every POST with `events` (each a `data:` payload, or `{ event, data }`), one every
 * `delayMs`; for abort tests, where a real stream must still be open when the client gives up.
 * With `dropAfter`, the connection is destroyed after that many events (0: right after the
 * response headers), as a server or proxy failing mid-stream.
 */
export async function startSlowSseServer(
  events: readonly (unknown | { event: string; data: unknown })[],
  delayMs = 40,
  dropAfter = Number.POSITIVE_INFINITY,
): Promise<SlowSseServer> {
  const state = { requests: 0, disconnects: 0 };
  const server = createServer((req, res) => {
    state.requests += 1;
    req.resume();
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    res.flushHeaders();
    let i = 0;
    const timer = setInterval(() => {
      if (i >= dropAfter) {
        clearInterval(timer);
        res.destroy();
        return;
      }
      const e = events[i++];
      if (e === undefined) {
        clearInterval(timer);
        res.end();
        return;
      }
      const named = typeof e === "object" && e !== null && "event" in e && "data" in e;
      const line = named
        ? `event: ${e.event}\ndata: ${JSON.stringify(e.data)}`
        : `data: ${JSON.stringify(e)}`;
      res.write(`${line}\n\n`);
    }, delayMs);
    res.on("close", () => {
      if (i < events.length) state.disconnects += 1;
      clearInterval(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get requests() {
      return state.requests;
    },
    get disconnects() {
      return state.disconnects;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
