import { randomUUID } from "node:crypto";
import type { Context } from "hono";

/** What a caller may pass as `X-Request-Id`: short and printable, so it is safe in a log line. */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of a request: the caller's `X-Request-Id` when it is a short token, else a new
 * `req_<uuid>`. Every response carries it back, and every 5xx is logged with it.
 */
export function requestIdOf(c: Context): string {
  const given = c.req.header("x-request-id");
  return given && ACCEPTED.test(given) ? given : `req_${randomUUID()}`;
}

/** `res` with its `X-Request-Id` header (a copy when its headers are immutable). */
export function withRequestId(res: Response, id: string): Response {
  try {
    res.headers.set("x-request-id", id);
    return res;
  } catch {
    const copy = new Response(res.body, res);
    copy.headers.set("x-request-id", id);
    return copy;
  }
}
