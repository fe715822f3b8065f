import type {
  Alert,
  ApiKeyRecord,
  Budget,
  BudgetClient,
  BudgetInput,
  BudgetStatusPage,
  CommitRequest,
  CommitResultWire,
  FinishRunInput,
  LimitStatusWire,
  ModelRecommendation,
  ModelRecommendationRequest,
  PendingPriceChange,
  PricedWire,
  PriceVersion,
  ReconcileWire,
  RecordRequest,
  ReportQuery,
  ReportRowWire,
  ReservationWire,
  ReserveOptions,
  ReserveRequest,
  ReserveResultWire,
  Resolution,
  RunRecord,
  RunsPage,
  SpendAdvice,
  SpendAdviceQuery,
  StartRunInput,
  StatusSummary,
  UsageEventWire,
} from "@budget/core";
import type { BatchOperation } from "./batch.js";
import { type FollowEventsOptions, followEvents } from "./events.js";
import { createHttp, type Http, type HttpOptions, type Query } from "./http.js";

/** A page of a list endpoint. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** `GET /v1/status/summary`: core's summary with its top limits in wire form (money as strings). */
export type StatusSummaryWire = Omit<StatusSummary, "top"> & { top: LimitStatusWire[] };

/** `GET /v1/status/budgets`: core's page of budgets with their limit statuses in wire form. */
export type BudgetStatusPageWire = Omit<BudgetStatusPage, "items"> & {
  items: (Omit<BudgetStatusPage["items"][number], "limits"> & { limits: LimitStatusWire[] })[];
};

/** An API key as the server shows it: its record without the hash. */
export type ApiKeyInfo = Omit<ApiKeyRecord, "hash">;

/** The filter of a bulk price decision: a source, a provider or an update run (`all: true`: every one). */
export interface PendingFilter {
  sourceId?: string;
  provider?: string;
  runId?: string;
  all?: true;
}

/** A reprice of `[from, to)` (`apply: false`: a dry run). */
export interface RepriceInput {
  from: number;
  to: number;
  dimensions?: Record<string, unknown>;
  target: { at: number } | { prices: PriceVersion[] };
  apply: boolean;
}

const seg = encodeURIComponent;

/**
 * Every route of a Budget server, one method each, answering the JSON the server sends (money as
 * USD strings, instants as epoch ms). {@link createBudgetClient} builds the `BudgetClient` on it;
 * the dashboard uses it as is. Routes whose answer is typed above `@budget/core` (the assistant, a
 * price update, a reprice, a run report) take that type as a parameter.
 *
 * @example
 * const api = createBudgetApi({ url: "http://127.0.0.1:4100", apiKey });
 * const { items } = await api.alerts.list({ unacknowledged: "true" });
 */
export function createBudgetApi(options: HttpOptions | Http) {
  const http = typeof options === "function" ? options : createHttp(options);
  const get = <T>(path: string, query?: Query) => http<T>("GET", path, { query });
  const post = <T>(path: string, body?: unknown) => http<T>("POST", path, body === undefined ? {} : { body });
  const put = <T>(path: string, body: unknown) => http<T>("PUT", path, { body });
  const del = <T>(path: string) => http<T>("DELETE", path);
  const budget = (id: string) => `/v1/budgets/${seg(id)}`;
  const run = (id: string) => `/v1/runs/${seg(id)}`;
  const reservation = (id: string) => `/v1/reservations/${seg(id)}`;
  return {
    http,
    budgets: {
      /** `search`, `dimension`, `enforcement` filter; `limit`, `cursor` page. */
      list: (query?: Query) => get<Page<Budget>>("/v1/budgets", query),
      create: (input: BudgetInput) => post<Budget>("/v1/budgets", input),
      get: (id: string) => get<Budget>(budget(id)),
      put: (id: string, input: Omit<BudgetInput, "id"> & { id?: string }) => put<Budget>(budget(id), input),
      delete: (id: string) => del<{ deleted: true }>(budget(id)),
      reset: (id: string) => post<Budget>(`${budget(id)}/reset`),
      close: (id: string) => post<Budget>(`${budget(id)}/close`),
      reopen: (id: string) => post<Budget>(`${budget(id)}/reopen`),
      putLimit: (id: string, limitId: string, limit: object) =>
        put<Budget>(`${budget(id)}/limits/${seg(limitId)}`, limit),
      deleteLimit: (id: string, limitId: string) => del<Budget>(`${budget(id)}/limits/${seg(limitId)}`),
    },
    status: {
      /** Limit statuses: `order=utilization` puts the closest to their limits first. */
      limits: (query?: Query) => get<{ items: LimitStatusWire[] }>("/v1/status", query),
      /** A page of open budgets with their limit statuses (filtered, sorted) and the counts over all. */
      budgets: (query?: Query) => get<BudgetStatusPageWire>("/v1/status/budgets", query),
      summary: (query?: Query) => get<StatusSummaryWire>("/v1/status/summary", query),
    },
    reservations: {
      reserve: (req: ReserveRequest, options?: ReserveOptions) =>
        http<ReserveResultWire>("POST", "/v1/reservations", {
          body: req,
          extraTimeoutMs: req.waitMs ?? 0,
          signal: options?.signal,
        }),
      get: (id: string) => get<ReservationWire>(reservation(id)),
      commit: (id: string, body: Omit<CommitRequest, "reservationId">) =>
        post<CommitResultWire>(`${reservation(id)}/commit`, body),
      release: (id: string) => post<ReservationWire>(`${reservation(id)}/release`),
    },
    /** At most `MAX_BATCH_OPERATIONS`; see {@link batchOperations} for any number. */
    batch: (operations: readonly BatchOperation[]) =>
      post<{ results: { status: number; body: unknown }[] }>("/v1/batch", { operations }),
    usage: {
      record: (req: RecordRequest) => post<CommitResultWire>("/v1/usage", req),
      /** A page of events: `from`, `to`, dimensions (`tags=a,b`), `order`, `limit`, `cursor`. */
      list: (query?: Query) => get<Page<UsageEventWire>>("/v1/usage", query),
      /** Every matching event as CSV (or `format=json`), streamed. */
      export: (query?: Query) => http.response("GET", "/v1/usage/export", { query }),
      estimate: (input: Parameters<BudgetClient["estimateCost"]>[0]) =>
        post<PricedWire>("/v1/estimate", input),
    },
    reports: {
      /** A report from query parameters (`groupBy=model,component`, `from`, `to`, dimensions). */
      get: (query?: Query) => get<{ items: ReportRowWire[] }>("/v1/reports", query),
      query: (query: ReportQuery) => post<{ items: ReportRowWire[] }>("/v1/reports", query),
    },
    recommendations: {
      /** Spend advice over `[from, to)` from query parameters. */
      get: (query?: Query) => get<SpendAdvice>("/v1/recommendations", query),
      query: (query: SpendAdviceQuery) => post<SpendAdvice>("/v1/recommendations", query),
      model: (req: ModelRecommendationRequest) => post<ModelRecommendation>("/v1/recommendations/model", req),
    },
    runs: {
      list: (query?: Query) => get<RunsPage>("/v1/runs", query),
      start: (input: StartRunInput) => post<RunRecord>("/v1/runs", input),
      get: (id: string) => get<RunRecord>(run(id)),
      report: <T = unknown>(id: string) => get<T>(`${run(id)}/report`),
      finish: (id: string, input: FinishRunInput) => post<RunRecord>(`${run(id)}/finish`, input),
    },
    prices: {
      /** Versions in force (`provider`, `at`), a page at a time. */
      list: (query?: Query) => get<Page<PriceVersion>>("/v1/prices", query),
      show: (query: { model: string; provider?: string | undefined; at?: number | undefined }) =>
        get<PriceVersion>("/v1/prices/show", query),
      resolve: (query: { model: string; provider?: string | undefined; at?: number | undefined }) =>
        get<Resolution>("/v1/prices/resolve", query),
      history: (query: { model: string; provider?: string | undefined }) =>
        get<{ provider: string; model: string; items: PriceVersion[] }>("/v1/prices/history", query),
      version: (id: string) => get<PriceVersion>(`/v1/prices/versions/${seg(id)}`),
      pending: (query?: { status?: "pending" | "approved" | "rejected" }) =>
        get<{ items: PendingPriceChange[] }>("/v1/prices/pending", query),
      approve: (id: string) => post<unknown>(`/v1/prices/pending/${seg(id)}/approve`),
      reject: (id: string) => post<unknown>(`/v1/prices/pending/${seg(id)}/reject`),
      approveMany: (filter: PendingFilter) =>
        post<{ ids: string[]; skipped: string[] }>("/v1/prices/pending/approve", filter),
      rejectMany: (filter: PendingFilter) =>
        post<{ ids: string[]; skipped: string[] }>("/v1/prices/pending/reject", filter),
      /** Fetches the server's price sources and applies (or quarantines) changes: its update report. */
      update: <T = unknown>(options?: { dryRun?: boolean }) => post<T>("/v1/prices/update", options ?? {}),
    },
    alerts: {
      /** Newest first: `unacknowledged=true`, `budgetId`, `limit`, `cursor`. */
      list: (query?: Query) => get<Page<Alert>>("/v1/alerts", query),
      ack: (id: string) => post<{ acknowledged: true }>(`/v1/alerts/${seg(id)}/ack`),
    },
    keys: {
      list: (query?: Query) => get<Page<ApiKeyInfo>>("/v1/keys", query),
      /** The record and, in `key`, the secret (shown only here). */
      create: (input: { name: string; role: string } & Record<string, unknown>) =>
        post<ApiKeyInfo & { key: string }>("/v1/keys", input),
      revoke: (id: string) => del<ApiKeyInfo>(`/v1/keys/${seg(id)}`),
    },
    maintenance: {
      /** Recomputes counters from the ledger; `repair` writes the corrections. */
      reconcile: (repair: boolean) => post<ReconcileWire>("/v1/reconcile", { repair }),
      reprice: <T = unknown>(input: RepriceInput) => post<T>("/v1/prices/reprice", input),
    },
    /** Live events over SSE (see {@link followEvents}); returns a function that disconnects. */
    events: (options: FollowEventsOptions) => followEvents(http, options),
    assistant: {
      ask: <T = unknown>(question: string) => post<T>("/v1/assistant", { question }),
    },
    system: {
      health: () => get<{ status: "ok" }>("/healthz"),
      ready: () => get<{ status: "ready" }>("/readyz"),
      /** Prometheus text exposition. */
      metrics: async () => (await http.response("GET", "/metrics")).text(),
      openapi: () => get<{ paths?: Record<string, Record<string, unknown>> }>("/v1/openapi.json"),
    },
  };
}

/** The object {@link createBudgetApi} returns. */
export type BudgetApi = ReturnType<typeof createBudgetApi>;
