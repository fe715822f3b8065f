import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { CallerHeaders } from "./caller-headers.js";
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

// Hop-by-hop, or recomputed when the body is relayed; no cookies from an upstream.
const DROPPED_RESPONSE_HEADERS = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
  "set-cookie",
]);

/** The headers of an upstream request: the allowed caller headers, then the upstream's own key. */
export function upstreamRequestHeaders(caller: CallerHeaders, upstream: Upstream): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const v = caller.get(name);
    if (v !== null) out[name] = v;
  }
  // Uncompressed, so events pass as they arrive and bodies pass byte for byte.
  out["accept-encoding"] = "identity";
  return Object.assign(out, upstream.authHeaders());
}

/** An upstream's answer: status, headers, and the body as it arrives. */
export interface UpstreamResponse {
  status: number;
  headers: IncomingMessage["headers"];
  body: IncomingMessage;
}

/**
 * The headers of the response to the caller: the upstream's (minus hop-by-hop), then `extra`. A
 * plain object (node's names are lower-case already): the Node adapter writes it as is, without
 * building a `Headers`.
 */
export function callerResponseHeaders(
  res: UpstreamResponse,
  extra: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in res.headers) {
    const v = res.headers[k];
    if (v === undefined || DROPPED_RESPONSE_HEADERS.has(k)) continue;
    out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  for (const k in extra) out[k] = extra[k] as string;
  return out;
}

/** Whether an answer is a server-sent event stream. */
export function isEventStream(res: UpstreamResponse): boolean {
  return res.headers["content-type"]?.includes("text/event-stream") === true;
}

/** The whole body of an answer; rejects when the upstream breaks off. */
export async function readAll(res: UpstreamResponse): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * An upstream answer that is not a success (or a redirect, not followed: it would take the key
 * elsewhere), passed to the caller with the key redacted should the upstream echo it.
 */
export async function passUpstreamError(
  res: UpstreamResponse,
  upstream: Upstream,
  extra: Record<string, string>,
): Promise<Response> {
  const text = upstream.redact((await readAll(res).catch(() => Buffer.alloc(0))).toString("utf8"));
  return new Response(text, { status: res.status, headers: callerResponseHeaders(res, extra) });
}

/** The query of a request URL, `?` included (`""` when none), without parsing the whole URL. */
export function searchOf(url: string): string {
  const q = url.indexOf("?");
  return q < 0 ? "" : url.slice(q);
}

/** What {@link callUpstream} sends. */
export interface UpstreamRequest {
  upstream: Upstream;
  method: string;
  /** Path after `/v1/`. */
  path: string;
  search: string;
  headers: CallerHeaders;
  body: string | null;
  /** Aborts the request (before or after its headers). */
  signal?: AbortSignal | undefined;
}

// Connections to upstreams are kept alive and reused (one pool per protocol for the process).
const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 1024 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 1024 }),
};

/** Where a request goes, as node:http options (parsed once per distinct URL). */
interface Target {
  https: boolean;
  hostname: string;
  port: string;
  path: string;
}

// Most calls go to a handful of URLs: parsing each one once saves a URL parse per call.
const targets = new Map<string, Target>();
const TARGETS_MAX = 512;

function targetOf(href: string): Target {
  const hit = targets.get(href);
  if (hit) return hit;
  const url = new URL(href);
  const target = {
    https: url.protocol === "https:",
    // node:http wants an IPv6 literal without its brackets.
    hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port,
    path: `${url.pathname}${url.search}`,
  };
  if (targets.size >= TARGETS_MAX) targets.clear();
  targets.set(href, target);
  return target;
}

/**
 * Calls the upstream (node:http, keep-alive: less work per call than `fetch`), giving up when its
 * headers take longer than its `timeoutMs`. Redirects are returned, never followed. After the
 * headers, `signal` still cuts the request (a stream whose caller went away).
 */
export function callUpstream(req: UpstreamRequest): Promise<UpstreamResponse> {
  const { https, hostname, port, path } = targetOf(req.upstream.url(req.path, req.search));
  const headers = upstreamRequestHeaders(req.headers, req.upstream);
  if (req.body !== null) headers["content-length"] = String(Buffer.byteLength(req.body));
  return new Promise((resolve, reject) => {
    const send = https ? httpsRequest : httpRequest;
    const out = send({
      method: req.method,
      hostname,
      ...(port ? { port } : {}),
      path,
      headers,
      agent: https ? agents.https : agents.http,
    });
    const timer = setTimeout(
      () => out.destroy(new Error(`no answer within ${req.upstream.timeoutMs} ms`)),
      req.upstream.timeoutMs,
    );
    const onAbort = () => out.destroy(new Error("the caller went away"));
    req.signal?.addEventListener("abort", onAbort, { once: true });
    out.once("response", (res) => {
      clearTimeout(timer);
      res.once("close", () => req.signal?.removeEventListener("abort", onAbort));
      // Readers handle a body that breaks off; this keeps an unread one from throwing.
      res.on("error", () => {});
      resolve({ status: res.statusCode ?? 502, headers: res.headers, body: res });
    });
    out.on("error", (err) => {
      clearTimeout(timer);
      req.signal?.removeEventListener("abort", onAbort);
      reject(err);
    });
    out.end(req.body ?? undefined);
  });
}
