import { BudgetError, type Problem } from "@budget/core";

/** Options of {@link createHttp}. */
export interface HttpOptions {
  /** Base URL of a Budget server, e.g. `http://127.0.0.1:4100`. */
  url: string;
  /** An API key (`bgt_…`). */
  apiKey?: string | undefined;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch | undefined;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number | undefined;
}

/** A minimal JSON-over-HTTP caller that turns problem responses into {@link BudgetError}s. */
export type Http = <T>(method: string, path: string, options?: HttpCallOptions) => Promise<T>;

/** One call's body, query and, for a long wait, extra time and a signal that aborts it. */
export interface HttpCallOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  /** Added to the client's timeout (a reservation that may wait). */
  extraTimeoutMs?: number;
  /** Aborts the call: it then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** Creates the caller the client's methods share. */
export function createHttp(options: HttpOptions): Http {
  const base = options.url.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  return async function http<T>(method: string, path: string, opts: HttpCallOptions = {}): Promise<T> {
    const url = new URL(base + path);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const timeout = AbortSignal.timeout(timeoutMs + (opts.extraTimeoutMs ?? 0));
    const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
    const init: RequestInit = { method, headers: { ...headers }, signal };
    if (opts.body !== undefined) {
      init.body = JSON.stringify(opts.body);
      (init.headers as Record<string, string>)["content-type"] = "application/json";
    }
    let res: Response;
    try {
      res = await doFetch(url, init);
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      throw new BudgetError("store_unavailable", `cannot reach ${base}: ${(err as Error).message}`, {
        cause: String(err),
      });
    }
    const text = await res.text();
    if (!res.ok) throw problemToError(res.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

/** Turns an error response into the {@link BudgetError} the server raised (same code and message). */
export function problemToError(status: number, body: string): BudgetError {
  let problem: Partial<Problem> = {};
  try {
    problem = JSON.parse(body) as Partial<Problem>;
  } catch {
    // Not problem+json (a proxy's page): keep the status.
  }
  const code = problem.code ?? (status >= 500 ? "internal" : "invalid_input");
  const details: Record<string, unknown> = { status };
  if (problem.errors) details.issues = problem.errors;
  if (problem.requestId) details.requestId = problem.requestId;
  return new BudgetError(code, problem.detail ?? `HTTP ${status}`, details);
}
