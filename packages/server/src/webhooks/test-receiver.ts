import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a {@link startReceiver} got. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What the receiver answers: a status (and headers), or `hang` to never answer. */
export type ReceiverReply = { status: number; headers?: Record<string, string>; delayMs?: number } | "hang";

/**
 * A real HTTP receiver on 127.0.0.1 for webhook tests: records every request and answers as
 * `reply` says (default 204). Test support only.
 */
export async function startReceiver(
  reply: (req: ReceivedRequest, n: number) => ReceiverReply = () => ({ status: 204 }),
) {
  const requests: ReceivedRequest[] = [];
  let active = 0;
  let maxActive = 0;
  const server = createServer((req, res) => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const got = {
        path: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      requests.push(got);
      const r = reply(got, requests.length);
      if (r === "hang") return;
      setTimeout(() => {
        active -= 1;
        res.writeHead(r.status, r.headers).end();
      }, r.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxActive: () => maxActive,
    async waitFor(n: number, timeoutMs = 5000) {
      const start = Date.now();
      while (requests.length < n) {
        if (Date.now() - start > timeoutMs)
          throw new Error(`receiver got ${requests.length} of ${n} requests`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
