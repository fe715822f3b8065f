/** `scheme://user:pass@`: the user-info of a URL. */
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
/** `…/path?query` (a URL or a bare request path): the query string, up to a space, quote or `#`. */
const QUERY = /((?:[a-z][a-z0-9+.-]*:\/\/[^\s/?#]*)?\/[^\s?#"'<>]*)\?[^\s#"'<>]+/gi;

/**
 * `text` with every URL's user-info and every query string replaced by `[redacted]`: a token in
 * `?token=` or `?api_key=`, or a password in `user:pass@`, never reaches a log line.
 *
 * @example redactUrls("GET /v1/events?api_key=bgt_x failed") // "GET /v1/events?[redacted] failed"
 */
export function redactUrls(text: string): string {
  if (!text.includes("?") && !text.includes("@")) return text;
  return text.replace(USER_INFO, "$1[redacted]@").replace(QUERY, "$1?[redacted]");
}

/** A copy of `value` with {@link redactUrls} applied to every string in it (depth-limited). */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactUrls(value);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  if (value instanceof Error) return value; // the err serializer redacts it
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, depth + 1);
  return out;
}
