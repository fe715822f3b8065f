import type {
  Alert,
  ApiKeyRecord,
  BudgetClient,
  Dimensions,
  EventQuery,
  PendingPriceChange,
  PriceVersion,
  ReconcileWire,
  Resolution,
  UsageEvent,
} from "@budget/core";
import type { RepriceSummary, UpdateReport } from "@budget/prices";
import type { AssistantAnswer } from "@budget/server";

/** Alerts: threshold crossings, denials, price changes and source failures. */
export interface AlertsApi {
  list(query: { unacknowledgedOnly?: boolean; limit?: number }): Promise<Alert[]>;
  /** False when there is no such alert (or it was already acknowledged). */
  ack(id: string): Promise<boolean>;
}

/** What a price update did (or, dry, would do): the updater's report, JSON-safe. */
export type PriceUpdateOutcome = Partial<UpdateReport> & Record<string, unknown>;

/** The price catalog: versions over time, pending approvals, updates. */
export interface PricesApi {
  /** Versions in force now (optionally of one provider or model). */
  list(query: { provider?: string; model?: string }): Promise<PriceVersion[]>;
  /** The version a (provider, model) resolves to now, or null. */
  show(query: { provider?: string; model: string }): Promise<PriceVersion | null>;
  /** What a (provider, model) name resolves to at `at` (default now) and why; unknown included. */
  resolve(query: { provider?: string; model: string; at?: number }): Promise<Resolution>;
  /** Every version of a model, oldest first. */
  history(query: { provider?: string; model: string }): Promise<PriceVersion[]>;
  pending(): Promise<PendingPriceChange[]>;
  approve(id: string): Promise<boolean>;
  reject(id: string): Promise<boolean>;
  /** Approves or rejects every pending change of a source, a provider or an update run (empty: all). */
  decideMany(
    decision: "approved" | "rejected",
    filter: { sourceId?: string; provider?: string; runId?: string },
  ): Promise<{ ids: string[]; skipped: string[] }>;
  /**
   * Fetches the price sources, validates and applies or quarantines changes (or, with `dryRun`,
   * only compares). `sources` (local only) are `--source` specs; remotely the server's apply.
   */
  update(options: {
    dryRun: boolean;
    sources?: string[];
    onProgress?: (p: { phase: string; done: number; total: number }) => void;
  }): Promise<PriceUpdateOutcome>;
}

/** An API key as listed: its record without the hash (the secret is shown only once, at creation). */
export type ApiKeyInfo = Omit<ApiKeyRecord, "hash">;

/** API keys of the HTTP service. */
export interface KeysApi {
  create(input: {
    name: string;
    role: string;
    components?: string[];
    projects?: string[];
    /** Dimensions the key's calls carry (gateway keys): `{ component: "planner", tags: ["a"] }`. */
    dimensions?: Record<string, string | string[]>;
  }): Promise<{
    key: ApiKeyInfo;
    secret: string;
  }>;
  list(): Promise<ApiKeyInfo[]>;
  revoke(id: string): Promise<boolean>;
}

/** The optional assistant (`assistant.enabled` in the config, or `POST /v1/assistant` of the service). */
export interface AssistantApi {
  ask(question: string): Promise<AssistantAnswer>;
}

/** Ledger maintenance: reconcile counters with the ledger, reprice a time range. */
export interface MaintenanceApi {
  reconcile(repair: boolean): Promise<ReconcileWire>;
  reprice(input: {
    from: number;
    to: number;
    dimensions?: Dimensions;
    target: { at: number } | { prices: PriceVersion[] };
    apply: boolean;
  }): Promise<RepriceSummary>;
}

/**
 * Everything the commands talk to. Two implementations: local (a database file, in-process
 * engine) and remote (the HTTP API); commands never ask which one they have.
 */
export interface Backend {
  readonly mode: "local" | "remote";
  /** What and where it is, for `--verbose` and `status`: `SQLite /abs/budget.db`, `PostgreSQL postgres://u@h/db`, `Budget service http://…`. */
  readonly description: string;
  /** The setting that chose it: `--db`, `BUDGET_URL`, `BUDGET_DATABASE_URL`, `<file> database.url`, `default`, … */
  readonly from: string;
  readonly client: BudgetClient;
  /** Ledger events matching `query`, oldest first. */
  events(query: Omit<EventQuery, "cursor" | "limit">): AsyncIterable<UsageEvent>;
  readonly alerts: AlertsApi;
  readonly prices: PricesApi;
  readonly keys: KeysApi;
  readonly maintenance: MaintenanceApi;
  readonly assistant: AssistantApi;
  close(): Promise<void>;
}
