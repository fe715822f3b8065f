/**
 * Kysely table types. Integer columns read back as `bigint` (SQLite `safeIntegers`, the pg INT8
 * parser) and `SUM`s as strings on PostgreSQL, so they are typed loosely and converted in `rows.ts`.
 */
export type SqlInt = number | bigint | string;

export interface BudgetsTable {
  id: string;
  definition: string;
  reset_at: SqlInt | null;
  created_at: SqlInt;
  updated_at: SqlInt;
  /** The change sequence number of the budget's last put (see migration 0006). */
  change_seq: SqlInt;
  /** The definition's `activeUntil` (epoch ms), null when open-ended. */
  active_until: SqlInt | null;
}

/** Budgets deleted, with the change sequence number of their delete. */
export interface BudgetTombstonesTable {
  budget_id: string;
  change_seq: SqlInt;
}

export interface CountersTable {
  key: string;
  budget_id: string;
  limit_id: string;
  partition: string;
  window_start: SqlInt;
  window_end: SqlInt | null;
  used_tokens: SqlInt;
  used_cost_nano: SqlInt;
  used_requests: SqlInt;
  reserved_tokens: SqlInt;
  reserved_cost_nano: SqlInt;
  reserved_requests: SqlInt;
  /** A slice (ADR 0010): the shared counter's key, and the instance that owns the slice. */
  slice_of: string | null;
  slice_owner: string | null;
  grant_tokens: SqlInt;
  grant_cost_nano: SqlInt;
  grant_requests: SqlInt;
  slice_expires_at: SqlInt | null;
}

export interface ReservationsTable {
  id: string;
  idempotency_key: string | null;
  status: string;
  created_at: SqlInt;
  expires_at: SqlInt;
  dimensions: string;
  estimate_tokens: SqlInt;
  estimate_cost_nano: SqlInt;
  estimate_requests: SqlInt;
  price_version_id: string | null;
  holds: string;
}

/** Dimension columns, shared by events (nullable) and rollups (`''` when absent). */
export interface DimensionColumns<T> {
  component: T;
  provider: T;
  model: T;
  tier: T;
  project: T;
  user_id: T;
  api_key: T;
  run_id: T;
  worker: T;
  task: T;
  task_type: T;
}

/** Usage columns, one per `USAGE_FIELDS` entry. */
export interface UsageColumns {
  input_tokens: SqlInt;
  cache_read_tokens: SqlInt;
  cache_write_tokens: SqlInt;
  cache_write1h_tokens: SqlInt;
  output_tokens: SqlInt;
  reasoning_tokens: SqlInt;
  input_audio_tokens: SqlInt;
  cache_audio_read_tokens: SqlInt;
  output_audio_tokens: SqlInt;
  input_images: SqlInt;
  output_images: SqlInt;
  requests: SqlInt;
  web_searches: SqlInt;
  output_image_tokens: SqlInt;
}

export interface EventsTable extends DimensionColumns<string | null>, UsageColumns {
  id: string;
  idempotency_key: string;
  kind: string;
  time: SqlInt;
  tags: string | null;
  cost_nano: SqlInt;
  price_version_id: string | null;
  pricing: string;
  reservation_id: string | null;
}

export interface RollupsHourlyTable extends DimensionColumns<string>, UsageColumns {
  hour_start: SqlInt;
  dims_key: string;
  events: SqlInt;
  tokens: SqlInt;
  cost_nano: SqlInt;
}

export interface AlertsTable {
  id: string;
  dedupe_key: string;
  type: string;
  severity: string;
  time: SqlInt;
  message: string;
  data: string;
  acknowledged_at: SqlInt | null;
}

export interface PriceVersionsTable {
  id: string;
  provider: string;
  model: string;
  effective_from: SqlInt;
  effective_to: SqlInt | null;
  source: string;
  data: string;
}

export interface PendingPriceChangesTable {
  id: string;
  status: string;
  created_at: SqlInt;
  decided_at: SqlInt | null;
  provider: string;
  model: string;
  proposed: string;
  evidence: string;
}

export interface RunsTable {
  id: string;
  name: string;
  status: string;
  started_at: SqlInt;
  ended_at: SqlInt | null;
  config: string;
  summary: string;
  /** JSON of the key that started the run (migration 0006); null for runs started in-process. */
  started_by: string | null;
}

export interface ApiKeysTable {
  id: string;
  hash: string;
  /** The key record as JSON (name, role, scope, prefix, revokedAt). */
  data: string;
  created_at: SqlInt;
}

/** Facts about the store itself (`events_pruned_before`). */
export interface StoreMetaTable {
  key: string;
  value: SqlInt;
}

/** Alert deliveries waiting for their webhook. */
export interface WebhookOutboxTable {
  id: string;
  webhook: string;
  type: string;
  body: string;
  created_at: SqlInt;
}

/** The store's tables, for Kysely. */
export interface StoreDatabase {
  budgets: BudgetsTable;
  budget_tombstones: BudgetTombstonesTable;
  counters: CountersTable;
  reservations: ReservationsTable;
  events: EventsTable;
  rollups_hourly: RollupsHourlyTable;
  alerts: AlertsTable;
  price_versions: PriceVersionsTable;
  pending_price_changes: PendingPriceChangesTable;
  runs: RunsTable;
  api_keys: ApiKeysTable;
  store_meta: StoreMetaTable;
  webhook_outbox: WebhookOutboxTable;
}
