import { DIMENSION_COLUMN_LIST, USAGE_COLUMN_LIST } from "../schema/columns.js";
import type { SqlDialect } from "../schema/migrations.js";
import { ROLLUP_SUM_COLUMNS } from "./rollup-sums.js";

/**
 * Hot-path SQL shared by both dialects, written once with `?` placeholders; PostgreSQL gets them
 * renumbered to `$n` by {@link numberPlaceholders}. Column lists are fixed by the schema.
 */
export const EVENT_COLUMNS: readonly string[] = [
  "id",
  "idempotency_key",
  "kind",
  "time",
  ...DIMENSION_COLUMN_LIST,
  "tags",
  ...USAGE_COLUMN_LIST,
  "cost_nano",
  "price_version_id",
  "pricing",
  "reservation_id",
];

export const ROLLUP_COLUMNS: readonly string[] = [
  "hour_start",
  "dims_key",
  ...DIMENSION_COLUMN_LIST,
  ...ROLLUP_SUM_COLUMNS,
];

export const RESERVATION_COLUMNS: readonly string[] = [
  "id",
  "idempotency_key",
  "status",
  "created_at",
  "expires_at",
  "dimensions",
  "estimate_tokens",
  "estimate_cost_nano",
  "estimate_requests",
  "price_version_id",
  "holds",
];

const ALERT_COLUMNS = [
  "id",
  "dedupe_key",
  "type",
  "severity",
  "time",
  "message",
  "data",
  "acknowledged_at",
] as const;

const marks = (n: number) => Array.from({ length: n }, () => "?").join(", ");
const AMOUNT = ["tokens", "cost_nano", "requests"] as const;
const REF = "key, budget_id, limit_id, partition, window_start, window_end";

export const SQL = {
  reservationByKey: "SELECT * FROM reservations WHERE idempotency_key = ?",
  reservationById: "SELECT * FROM reservations WHERE id = ?",
  insertReservation: `INSERT INTO reservations (${RESERVATION_COLUMNS.join(", ")}) VALUES (${marks(RESERVATION_COLUMNS.length)})`,
  setReservationStatus: "UPDATE reservations SET status = ? WHERE id = ?",
  counterByKey: "SELECT * FROM counters WHERE key = ?",
  /** Writes a counter's absolute state (a batch's result, computed under the lock), creating it; a window sum's start moves. */
  putCounter: `INSERT INTO counters (${REF}, ${AMOUNT.map((a) => `used_${a}`).join(", ")},
    ${AMOUNT.map((a) => `reserved_${a}`).join(", ")}) VALUES (${marks(12)}) ON CONFLICT (key) DO UPDATE SET
    ${AMOUNT.flatMap((a) => [`used_${a} = excluded.used_${a}`, `reserved_${a} = excluded.reserved_${a}`]).join(", ")},
    window_start = excluded.window_start`,
  /** Overwrites `used` (reconcile), creating the counter. */
  setUsed: `INSERT INTO counters (${REF}, ${AMOUNT.map((a) => `used_${a}`).join(", ")}) VALUES (${marks(9)})
    ON CONFLICT (key) DO UPDATE SET ${AMOUNT.map((a) => `used_${a} = excluded.used_${a}`).join(", ")}`,
  eventByKey: "SELECT * FROM events WHERE idempotency_key = ?",
  /** Active reservations due at `?` (expiry), oldest first, at most `?`. */
  expiredReservations:
    "SELECT * FROM reservations WHERE status = 'active' AND expires_at <= ? ORDER BY expires_at, id LIMIT ?",
  insertAlert: `INSERT INTO alerts (${ALERT_COLUMNS.join(", ")}) VALUES (${marks(ALERT_COLUMNS.length)})
    ON CONFLICT DO NOTHING`,
  insertEvent: `INSERT INTO events (${EVENT_COLUMNS.join(", ")}) VALUES (${marks(EVENT_COLUMNS.length)})`,
  upsertRollup: `INSERT INTO rollups_hourly (${ROLLUP_COLUMNS.join(", ")}) VALUES (${marks(ROLLUP_COLUMNS.length)})
    ON CONFLICT (hour_start, dims_key) DO UPDATE SET
    ${ROLLUP_SUM_COLUMNS.map(checkedSum).join(", ")}`,
} as const;

/**
 * `c = old + new` that fails instead of overflowing. SQLite's `+` turns a sum past 64 bits into a
 * float without a word; `abs()` of the smallest integer raises "integer overflow", which rolls the
 * write back and is answered `counter_overflow` (as PostgreSQL's `bigint out of range` is).
 */
function checkedSum(c: string): string {
  const old = `rollups_hourly.${c}`;
  return `${c} = CASE WHEN excluded.${c} > 0 AND ${old} > 9223372036854775807 - excluded.${c}
    THEN abs(-9223372036854775807 - 1) ELSE ${old} + excluded.${c} END`;
}

/**
 * Retention, in one transaction: deletes raw events before `?`, raises the horizon
 * `events_pruned_before` to it (never lowering it; `max` is SQLite's, `GREATEST` PostgreSQL's) and
 * deletes the settled (not active) reservations created before it. On PostgreSQL those are found
 * through a partial index of settled reservations; SQLite, whose every write pays for an index,
 * bounds the scan by rowid instead (rows are numbered in insertion order): the second `?` is the
 * first rowid at or past the horizon, see `firstRowidFrom`.
 */
export const pruneSql = (dialect: SqlDialect) => ({
  deleteEvents: "DELETE FROM events WHERE time < ?",
  raiseHorizon: `INSERT INTO store_meta (key, value) VALUES ('events_pruned_before', ?)
    ON CONFLICT (key) DO UPDATE SET value = ${dialect === "sqlite" ? "max" : "GREATEST"}(store_meta.value, excluded.value)`,
  deleteSettledReservations:
    dialect === "sqlite"
      ? "DELETE FROM reservations WHERE status <> 'active' AND created_at < ? AND rowid < ?"
      : "DELETE FROM reservations WHERE status <> 'active' AND created_at < ?",
});

/** `?, ?` → `$1, $2` for PostgreSQL (the SQL above has no `?` inside literals). */
export function numberPlaceholders(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}
