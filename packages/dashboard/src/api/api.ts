import type {
  Alert,
  Budget,
  BudgetStatusPage,
  LimitStatus,
  Page,
  PendingPriceChange,
  PriceVersion,
  ReportRow,
  Run,
  SpendAdvice,
  StatusSummary,
  UsageEvent,
} from "./types.js";

const KEY_STORAGE = "budget.apiKey";

/** An API answer that was not 2xx: the problem+json `code` and `detail`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** The API key kept in this browser (localStorage), or null. */
export function storedKey(): string | null {
  return localStorage.getItem(KEY_STORAGE);
}

/** Keeps (or, with null, forgets) the API key. */
export function storeKey(key: string | null): void {
  if (key === null) localStorage.removeItem(KEY_STORAGE);
  else localStorage.setItem(KEY_STORAGE, key);
}

/** Query parameters; undefined and empty values are left out. */
export type Query = Record<string, string | number | undefined>;

/** `path?query` with empty values dropped. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== "") params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function request<T>(method: string, path: string, key = storedKey(), body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError(res.status, problem.code ?? "http_error", problem.detail ?? res.statusText);
  }
  return (await res.json()) as T;
}

/** Routes the server documents, from its OpenAPI document (some exist only with a price updater). */
async function routes(): Promise<Set<string>> {
  const doc = await request<{ paths?: Record<string, Record<string, unknown>> }>("GET", "/v1/openapi.json");
  const out = new Set<string>();
  for (const [path, methods] of Object.entries(doc.paths ?? {}))
    for (const m of Object.keys(methods)) out.add(`${m.toUpperCase()} ${path}`);
  return out;
}

/** Every call the dashboard makes, typed. */
export const api = {
  routes,
  /** Checks a key before keeping it: any reader route answers 200 only to a valid key. */
  verifyKey: (key: string) => request<Page<Budget>>("GET", "/v1/budgets?limit=1", key),
  /** One budget's definition. */
  budget: (id: string) => request<Budget>("GET", `/v1/budgets/${encodeURIComponent(id)}`),
  /** A page of budget definitions (by id). */
  budgetPage: (cursor?: string) =>
    request<Page<Budget>>("GET", withQuery("/v1/budgets", { limit: 1000, cursor })),
  /** Limit statuses: `order=utilization` puts the closest to their limits first; `limit` caps the rows. */
  status: (query: { budgetId?: string; order?: "id" | "utilization"; limit?: number } = {}) =>
    request<{ items: LimitStatus[] }>("GET", withQuery("/v1/status", query)),
  /** A page of open budgets with their limit statuses (filtered, sorted) and the counts over all. */
  budgetStatuses: (query: Query) => request<BudgetStatusPage>("GET", withQuery("/v1/status/budgets", query)),
  /** Counts by state over every open budget, and the limits closest to their limits. */
  statusSummary: (top = 0) => request<StatusSummary>("GET", withQuery("/v1/status/summary", { top })),
  report: (query: Query) => request<{ items: ReportRow[] }>("GET", withQuery("/v1/reports", query)),
  usage: (query: Query) => request<Page<UsageEvent>>("GET", withQuery("/v1/usage", query)),

  runs: async (cursor?: string): Promise<Page<Run>> => {
    const page = await request<{ runs: Run[]; nextCursor: string | null }>(
      "GET",
      withQuery("/v1/runs", { limit: 50, cursor }),
    );
    return { items: page.runs, nextCursor: page.nextCursor };
  },
  run: (id: string) => request<Run>("GET", `/v1/runs/${encodeURIComponent(id)}`),
  prices: () => request<Page<PriceVersion>>("GET", "/v1/prices?limit=1000"),
  priceHistory: (model: string, provider: string) =>
    request<{ provider: string; model: string; items: PriceVersion[] }>(
      "GET",
      withQuery("/v1/prices/history", { model, provider }),
    ),
  pending: () => request<{ items: PendingPriceChange[] }>("GET", "/v1/prices/pending"),
  decide: (id: string, verb: "approve" | "reject") =>
    request<unknown>("POST", `/v1/prices/pending/${encodeURIComponent(id)}/${verb}`),
  /** Decides every pending change of a source, a provider or an update run (`{ all: true }`: all). */
  decideMany: (
    verb: "approve" | "reject",
    filter: { sourceId?: string; provider?: string; runId?: string; all?: true },
  ) =>
    request<{ ids: string[]; skipped: string[] }>("POST", `/v1/prices/pending/${verb}`, storedKey(), filter),
  /** The newest 200 alerts (open ones only, or all), or those naming one budget. */
  alerts: (unacknowledged: boolean, budgetId?: string) =>
    request<Page<Alert>>(
      "GET",
      withQuery("/v1/alerts", { limit: 200, unacknowledged: String(unacknowledged), budgetId }),
    ),
  ack: (id: string) => request<{ acknowledged: true }>("POST", `/v1/alerts/${encodeURIComponent(id)}/ack`),
  /** Spend advice from the ledger over `[from, to)`. */
  advice: (query: Query) => request<SpendAdvice>("GET", withQuery("/v1/recommendations", query)),
};
