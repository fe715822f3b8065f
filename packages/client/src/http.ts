import type { Problem } from "@budget/core";
import { BudgetError, isBudgetError } from "@budget/core/basics";

/** Options of {@link createHttp}. */
export interface HttpOptions {
  /** Base URL of a Budget server, e.g. `http://127.0.0.1:4100`; `""` in a page it serves (same origin). */
  url: string;
  /** An API key (`bgt_…`), or a function read on every call (a key the user may change). */
  apiKey?: string | null | (() => string | null | undefined) | undefined;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch | undefined;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number | undefined;
}

/** Query parameters; undefined and empty values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

/** One call's body, query and, for a long wait, extra time and a signal that aborts it. */
export interface HttpCallOptions {
  body?: unknown;
  query?: Query | undefined;
  /** Added to the client's timeout (a reservation that may wait); `null`: no timeout (a stream). */
  extraTimeoutMs?: number | null;
  /** Aborts the call: it then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  headers?: Record<string, string>;
}

/** JSON over HTTP: problem responses become {@link BudgetError}s with the server's code. */
export interface Http {
  <T>(method: string, path: string, options?: HttpCallOptions): Promise<T>;
  /** The response itself (CSV, text, an event stream), after the same error mapping. */
  response(method: string, path: string, options?: HttpCallOptions): Promise<Response>;
}

/** `path?query` with undefined and empty values dropped. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Creates the caller the client's methods share. */
export function createHttp(options: HttpOptions): Http {
  const base = options.url.replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function response(method: string, path: string, opts: HttpCallOptions = {}): Promise<Response> {
    const key = typeof options.apiKey === "function" ? options.apiKey() : options.apiKey;
    const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
    if (key) headers.authorization = `Bearer ${key}`;
    const signals = opts.signal ? [opts.signal] : [];
    if (opts.extraTimeoutMs !== null)
      signals.push(AbortSignal.timeout(timeoutMs + (opts.extraTimeoutMs ?? 0)));
    const init: RequestInit = { method, headers, signal: AbortSignal.any(signals) };
    if (opts.body !== undefined) {
      init.body = JSON.stringify(opts.body);
      headers["content-type"] = "application/json";
    }
    let res: Response;
    try {
      res = await (options.fetch ?? fetch)(base + withQuery(path, opts.query), init);
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw new BudgetError(
        "store_unavailable",
        `cannot reach ${base || "the server"}: ${(err as Error).message}`,
        {
          cause: String(err),
        },
      );
    }
    if (!res.ok) throw problemToError(res.status, await res.text(), res.headers);
    return res;
  }

  const http = async <T>(method: string, path: string, opts?: HttpCallOptions): Promise<T> => {
    const text = await (await response(method, path, opts)).text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return Object.assign(http, { response });
}

/**
 * The retry information of a response: `Retry-After` (seconds or an HTTP date) as `retryAfterMs`,
 * and the IETF `RateLimit`/`RateLimit-Policy` fields as sent. Empty when it has none.
 */
export function retryInfoOf(
  headers: Headers,
  now = Date.now(),
): { retryAfterMs?: number; rateLimit?: string; rateLimitPolicy?: string } {
  const out: { retryAfterMs?: number; rateLimit?: string; rateLimitPolicy?: string } = {};
  const after = headers.get("retry-after")?.trim();
  if (after) {
    const ms = /^\d+$/.test(after) ? Number(after) * 1000 : Date.parse(after) - now;
    if (Number.isFinite(ms)) out.retryAfterMs = Math.max(0, ms);
  }
  const rateLimit = headers.get("ratelimit");
  if (rateLimit) out.rateLimit = rateLimit;
  const policy = headers.get("ratelimit-policy");
  if (policy) out.rateLimitPolicy = policy;
  return out;
}

/**
 * Turns an error response into the {@link BudgetError} the server raised (same code and message).
 * Its `details` carry the status and, when the response says when to come back (a 429 or 503 from
 * the server or a proxy before it), `retryAfterMs` (the body's, else `Retry-After`'s) and the
 * `RateLimit`/`RateLimit-Policy` fields.
 */
export function problemToError(status: number, body: string, headers?: Headers): BudgetError {
  let problem: Partial<Problem> = {};
  try {
    problem = JSON.parse(body) as Partial<Problem>;
  } catch {
    // Not problem+json (a proxy's page): keep the status.
  }
  const code = problem.code ?? (status >= 500 ? "internal" : "invalid_input");
  const details: Record<string, unknown> = { status, ...(headers ? retryInfoOf(headers) : {}) };
  const fromBody = (problem as { retryAfterMs?: unknown }).retryAfterMs;
  if (typeof fromBody === "number" && Number.isFinite(fromBody)) details.retryAfterMs = fromBody;
  if (problem.errors) details.issues = problem.errors;
  if (problem.requestId) details.requestId = problem.requestId;
  return new BudgetError(code, problem.detail ?? `HTTP ${status}`, details);
}

/** Every item of a list endpoint, in order, following `nextCursor` a page of 1000 at a time. */
export async function* allItems<T>(
  page: (query: Query) => Promise<{ items: T[]; nextCursor?: string | null }>,
  query: Query = {},
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const p = await page({ ...query, limit: 1000, cursor });
    yield* p.items;
    cursor = p.nextCursor ?? undefined;
  } while (cursor);
}

/** The items of an async iterable in an array (`Array.fromAsync` is Node 22). */
export async function toArray<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Maps a 404 to `fallback` (null, false), as the in-process engine answers a lookup of an unknown id. */
export async function orNotFound<T, F>(p: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await p;
  } catch (err) {
    if (isBudgetError(err, "not_found")) return fallback;
    throw err;
  }
}
