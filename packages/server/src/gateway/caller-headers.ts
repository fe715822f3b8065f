import type { IncomingMessage } from "node:http";
import type { Context } from "hono";

/** The caller's request headers as the gateway reads them: by lower-case name. */
export type CallerHeaders = Pick<Headers, "get">;

/**
 * The caller's request headers. On Node they are read from the `IncomingMessage`'s own header
 * object (names already lower-case): the web `Headers` Hono's adapter builds on first access costs
 * more than every lookup a gateway call makes. Elsewhere (a fetch handler), the request's `Headers`.
 */
export function callerHeaders(c: Context): CallerHeaders {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (!incoming) return c.req.raw.headers;
  const h = incoming.headers;
  return {
    get(name) {
      const v = h[name];
      return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
    },
  };
}
