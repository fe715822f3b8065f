import type { Kysely, Migration } from "kysely";
import { sql } from "../shared/kysely-runtime.js";
import { DIMENSION_COLUMN_LIST } from "./columns.js";

/** The SQL dialects the store speaks. */
export type SqlDialect = "sqlite" | "postgres";

/** One schema step, as SQL for a dialect (DDL differs only in the integer type). */
type Step = (d: SqlDialect) => string[];

// Money and counts are 64-bit: INTEGER in SQLite is 64-bit already; PostgreSQL needs BIGINT.
const big = (d: SqlDialect) => (d === "postgres" ? "BIGINT" : "INTEGER");

/** The usage columns as 0001 created them: frozen, since later fields arrive by their own step. */
const INITIAL_USAGE_COLUMNS = [
  "input_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "cache_write1h_tokens",
  "output_tokens",
  "reasoning_tokens",
  "input_audio_tokens",
  "cache_audio_read_tokens",
  "output_audio_tokens",
  "input_images",
  "output_images",
  "requests",
  "web_searches",
];

const initial: Step = (d) => {
  const B = big(d);
  const usageCols = INITIAL_USAGE_COLUMNS.map((c) => `${c} ${B} NOT NULL DEFAULT 0`).join(", ");
  return [
    `CREATE TABLE budgets (id TEXT PRIMARY KEY, definition TEXT NOT NULL, reset_at ${B},
      created_at ${B} NOT NULL, updated_at ${B} NOT NULL)`,
    `CREATE TABLE counters (key TEXT PRIMARY KEY, budget_id TEXT NOT NULL, limit_id TEXT NOT NULL,
      partition TEXT NOT NULL, window_start ${B} NOT NULL, window_end ${B},
      used_tokens ${B} NOT NULL DEFAULT 0, used_cost_nano ${B} NOT NULL DEFAULT 0,
      used_requests ${B} NOT NULL DEFAULT 0, reserved_tokens ${B} NOT NULL DEFAULT 0,
      reserved_cost_nano ${B} NOT NULL DEFAULT 0, reserved_requests ${B} NOT NULL DEFAULT 0)`,
    "CREATE INDEX counters_budget ON counters (budget_id, window_start)",
    `CREATE TABLE reservations (id TEXT PRIMARY KEY, idempotency_key TEXT UNIQUE, status TEXT NOT NULL,
      created_at ${B} NOT NULL, expires_at ${B} NOT NULL, dimensions TEXT NOT NULL,
      estimate_tokens ${B} NOT NULL, estimate_cost_nano ${B} NOT NULL, estimate_requests ${B} NOT NULL,
      price_version_id TEXT, holds TEXT NOT NULL)`,
    "CREATE INDEX reservations_active_expiry ON reservations (expires_at) WHERE status = 'active'",
    // Compact ledger rows: a price version id, never a copy of the price.
    `CREATE TABLE events (id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
      time ${B} NOT NULL, ${DIMENSION_COLUMN_LIST.map((c) => `${c} TEXT`).join(", ")}, tags TEXT,
      ${usageCols}, cost_nano ${B} NOT NULL, price_version_id TEXT, pricing TEXT NOT NULL,
      reservation_id TEXT)`,
    "CREATE INDEX events_time ON events (time, id)",
    // Absent dimensions are '' here (not NULL) so the upsert key is unique.
    `CREATE TABLE rollups_hourly (hour_start ${B} NOT NULL, dims_key TEXT NOT NULL,
      ${DIMENSION_COLUMN_LIST.map((c) => `${c} TEXT NOT NULL DEFAULT ''`).join(", ")},
      events ${B} NOT NULL DEFAULT 0, tokens ${B} NOT NULL DEFAULT 0, cost_nano ${B} NOT NULL DEFAULT 0,
      ${usageCols}, PRIMARY KEY (hour_start, dims_key))`,
    `CREATE TABLE alerts (id TEXT PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
      severity TEXT NOT NULL, time ${B} NOT NULL, message TEXT NOT NULL, data TEXT NOT NULL,
      acknowledged_at ${B})`,
    "CREATE INDEX alerts_time ON alerts (time, id)",
    `CREATE TABLE price_versions (id TEXT PRIMARY KEY, provider TEXT NOT NULL, model TEXT NOT NULL,
      effective_from ${B} NOT NULL, effective_to ${B}, source TEXT NOT NULL, data TEXT NOT NULL)`,
    "CREATE INDEX price_versions_model ON price_versions (provider, model, effective_from)",
    `CREATE TABLE pending_price_changes (id TEXT PRIMARY KEY, status TEXT NOT NULL,
      created_at ${B} NOT NULL, decided_at ${B}, provider TEXT NOT NULL, model TEXT NOT NULL,
      proposed TEXT NOT NULL, evidence TEXT NOT NULL)`,
    `CREATE TABLE runs (id TEXT PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL,
      started_at ${B} NOT NULL, ended_at ${B}, config TEXT NOT NULL, summary TEXT NOT NULL)`,
    "CREATE INDEX runs_started ON runs (started_at, id)",
  ];
};

/** API keys: the SHA-256 of each secret, never the secret. */
const apiKeys: Step = (d) => [
  `CREATE TABLE api_keys (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, data TEXT NOT NULL,
    created_at ${big(d)} NOT NULL)`,
];

/** Facts about the store itself, e.g. `events_pruned_before` (the retention horizon, epoch ms). */
const storeMeta: Step = (d) => [`CREATE TABLE store_meta (key TEXT PRIMARY KEY, value ${big(d)} NOT NULL)`];

/** Alert deliveries waiting for their webhook, so a restart resumes them. */
const webhookOutbox: Step = (d) => [
  `CREATE TABLE webhook_outbox (id TEXT PRIMARY KEY, webhook TEXT NOT NULL, type TEXT NOT NULL,
    body TEXT NOT NULL, created_at ${big(d)} NOT NULL)`,
  "CREATE INDEX webhook_outbox_created ON webhook_outbox (created_at, id)",
];

/**
 * Settled reservations by age, for retention — on PostgreSQL only: SQLite finds them by rowid (see
 * `pruneSql`) rather than make every reservation pay one more index write.
 */
const settledReservations: Step = (d) =>
  d === "postgres"
    ? ["CREATE INDEX reservations_settled ON reservations (created_at) WHERE status <> 'active'"]
    : [];

/** Who started a run (its key), so only that key or an admin manages the run. */
const runStarter: Step = () => ["ALTER TABLE runs ADD COLUMN started_by TEXT"];

/** Image output tokens (`outputImageTokens`), on the ledger and its rollups. */
const outputImageTokens: Step = (d) => [
  `ALTER TABLE events ADD COLUMN output_image_tokens ${big(d)} NOT NULL DEFAULT 0`,
  `ALTER TABLE rollups_hourly ADD COLUMN output_image_tokens ${big(d)} NOT NULL DEFAULT 0`,
];

/**
 * The budget change sequence: `store_meta.budget_seq` is taken (row-locked on PostgreSQL, so numbers
 * are handed out in commit order) by every budget put or delete; a budget carries the number of its
 * last put, a deleted budget leaves a tombstone with the number of its delete. `active_until` copies
 * the definition's, so engines load only the budgets not closed.
 */
const budgetChanges: Step = (d) => [
  `ALTER TABLE budgets ADD COLUMN change_seq ${big(d)} NOT NULL DEFAULT 0`,
  "CREATE INDEX budgets_change_seq ON budgets (change_seq)",
  // A copy of the definition's activeUntil, so engines load only budgets not closed.
  `ALTER TABLE budgets ADD COLUMN active_until ${big(d)}`,
  `CREATE TABLE budget_tombstones (budget_id TEXT PRIMARY KEY, change_seq ${big(d)} NOT NULL)`,
  "CREATE INDEX budget_tombstones_seq ON budget_tombstones (change_seq)",
  "INSERT INTO store_meta (key, value) VALUES ('budget_seq', 0) ON CONFLICT (key) DO NOTHING",
];

/**
 * Slices (ADR 0010): an instance's own counter row beside a shared one (`slice_of`, its owner),
 * with the grant moved into the shared row's `reserved` and when the slice expires.
 */
const slices: Step = (d) => [
  "ALTER TABLE counters ADD COLUMN slice_of TEXT",
  "ALTER TABLE counters ADD COLUMN slice_owner TEXT",
  `ALTER TABLE counters ADD COLUMN grant_tokens ${big(d)} NOT NULL DEFAULT 0`,
  `ALTER TABLE counters ADD COLUMN grant_cost_nano ${big(d)} NOT NULL DEFAULT 0`,
  `ALTER TABLE counters ADD COLUMN grant_requests ${big(d)} NOT NULL DEFAULT 0`,
  `ALTER TABLE counters ADD COLUMN slice_expires_at ${big(d)}`,
  "CREATE INDEX counters_slice_of ON counters (slice_of)",
];

/** Every schema step, in order; names are stored by Kysely's migrator and must never change. */
const STEPS: ReadonlyArray<[name: string, step: Step]> = [
  ["0001_initial", initial],
  ["0002_api_keys", apiKeys],
  ["0003_store_meta", storeMeta],
  ["0004_webhook_outbox", webhookOutbox],
  ["0005_settled_reservations", settledReservations],
  ["0006_run_starter", runStarter],
  ["0007_output_image_tokens", outputImageTokens],
  ["0008_budget_changes", budgetChanges],
  ["0009_slices", slices],
];

/** The migration names this code knows; a database with any other is `store_schema_mismatch`. */
export const KNOWN_MIGRATIONS: readonly string[] = STEPS.map(([name]) => name);

/** Kysely migrations for one dialect, built in code (no files on disk). */
export function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return Object.fromEntries(
    STEPS.map(([name, step]) => [
      name,
      {
        async up(db: Kysely<unknown>) {
          for (const statement of step(dialect)) await sql.raw(statement).execute(db);
        },
      },
    ]),
  );
}
