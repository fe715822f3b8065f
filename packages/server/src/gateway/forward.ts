import type { Upstream } from "./upstream.js";

// Caller headers an upstream may see: content negotiation and API versions, never a credential
// (the caller's Budget key stays here) nor an account selector (openai-organization, -project).
const FORWARDED_REQUEST_HEADERS = [
  "content-type",
  "accept",
  "user-agent",
  "anthropic-version",
  "anthropic-beta",
  "openai-beta",
  "idempotency-key",
];

// Hop-by-hop, or no longer true once the body is relayed (fetch has decoded it).
const DROPPED_RESPONSE_HEADERS = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
  "set-cookie",
]);

/** The headers of an upstream request: the allowed caller headers, then the upstream's own key. */
export function upstreamRequestHeaders(caller: Headers, upstream: Upstream): Headers {
  const out = new Headers();
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const v = caller.get(name);
    if (v !== null) out.set(name, v);
  }
  // Uncompressed, so events pass as they arrive and bodies pass byte for byte.
  out.set("accept-encoding", "identity");
  for (const [k, v] of Object.entries(upstream.authHeaders())) out.set(k, v);
  return out;
}

/** The headers of the response to the caller: the upstream's (minus hop-by-hop), then `extra`. */
export function callerResponseHeaders(upstream: Headers, extra: Record<string, string>): Headers {
  const out = new Headers();
  for (const [k, v] of upstream) if (!DROPPED_RESPONSE_HEADERS.has(k)) out.set(k, v);
  for (const [k, v] of Object.entries(extra)) out.set(k, v);
  return out;
}

/** Whether a response is a server-sent event stream. */
export function isEventStream(res: Response): boolean {
  return res.headers.get("content-type")?.includes("text/event-stream") === true;
}

/**
 * An upstream answer that is not a success (or a redirect, not followed: it would take the key
 * elsewhere), passed to the caller with the key redacted should the upstream echo it.
 */
export async function passUpstreamError(
  res: Response,
  upstream: Upstream,
  extra: Record<string, string>,
): Promise<Response> {
  const text = upstream.redact(await res.text().catch(() => ""));
  return new Response(text, { status: res.status, headers: callerResponseHeaders(res.headers, extra) });
}

/** What {@link callUpstream} sends. */
export interface UpstreamRequest {
  upstream: Upstream;
  method: string;
  /** Path after `/v1/`. */
  path: string;
  search: string;
  headers: Headers;
  body: string | null;
  /** Aborts the request (before or after its headers). */
  signal?: AbortSignal | undefined;
}

/**
 * Calls the upstream, giving up when its headers take longer than its `timeoutMs`. Redirects are
 * returned, never followed.
 */
export async function callUpstream(fetchFn: typeof fetch, req: UpstreamRequest): Promise<Response> {
  const ac = new AbortController();
  const timer = setTimeout(
    () => ac.abort(new Error(`no answer within ${req.upstream.timeoutMs} ms`)),
    req.upstream.timeoutMs,
  );
  const onAbort = () => ac.abort(req.signal?.reason);
  req.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    return await fetchFn(req.upstream.url(req.path, req.search), {
      method: req.method,
      headers: upstreamRequestHeaders(req.headers, req.upstream),
      ...(req.body !== null ? { body: req.body } : {}),
      signal: ac.signal,
      redirect: "manual",
    });
  } finally {
    clearTimeout(timer);
  }
}
