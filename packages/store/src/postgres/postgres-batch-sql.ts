import pg from "pg";
import { USAGE_COLUMN_LIST } from "../schema/columns.js";
import { ROLLUP_SUM_COLUMNS } from "../shared/rollup-sums.js";
import { EVENT_COLUMNS, RESERVATION_COLUMNS, ROLLUP_COLUMNS } from "../shared/sql-text.js";

/**
 * The PostgreSQL statements of a group-commit batch and of ingest. Rows travel as one array per
 * column through `unnest`, so a statement's text does not depend on how many rows it carries. A
 * batch sends several statements per round trip, their values inlined (see `inline`), each planned
 * for the tables as they are; ingest's are named (server-side prepared) queries.
 */

const INT = new Set([
  "time",
  "cost_nano",
  "created_at",
  "expires_at",
  "hour_start",
  "window_start",
  "window_end",
]);
for (const c of [...USAGE_COLUMN_LIST, ...ROLLUP_SUM_COLUMNS]) INT.add(c);
for (const c of ["estimate_tokens", "estimate_cost_nano", "estimate_requests"]) INT.add(c);
const AMOUNT_COLS = [
  "used_tokens",
  "used_cost_nano",
  "used_requests",
  "reserved_tokens",
  "reserved_cost_nano",
  "reserved_requests",
];
for (const c of AMOUNT_COLS) INT.add(c);

/** A column's array type in `unnest`. */
const typeOf = (c: string) => (INT.has(c) ? "int8" : "text");

/** `unnest($n::t[], …) AS alias(cols)`, numbering from `first`. */
function unnest(cols: readonly string[], first: number, alias: string): string {
  return `unnest(${cols.map((c, i) => `$${first + i}::${typeOf(c)}[]`).join(", ")}) AS ${alias}(${cols.join(", ")})`;
}

export const COUNTER_REF_COLUMNS = [
  "key",
  "budget_id",
  "limit_id",
  "partition",
  "window_start",
  "window_end",
];
export const COUNTER_STATE_COLUMNS = ["key", ...AMOUNT_COLS, "window_start"];
export { EVENT_COLUMNS, RESERVATION_COLUMNS, ROLLUP_COLUMNS };

/** Column arrays of `rows` (each in `cols` order); bigints go as decimal strings. */
export function columnArrays(rows: readonly (readonly unknown[])[], width: number): unknown[][] {
  return Array.from({ length: width }, (_, j) =>
    rows.map((r) => {
      const v = r[j];
      return typeof v === "bigint" ? v.toString() : (v ?? null);
    }),
  );
}

/**
 * `text` with each `$n` replaced by `values[n - 1]` as a quoted literal (arrays as PostgreSQL array
 * literals), for statements sent several to a round trip, which only the simple protocol allows.
 * Every value goes through `escapeLiteral`, so no value can change the statement.
 */
export function inline(text: string, values: readonly unknown[]): string {
  return text.replace(/\$(\d+)/g, (_, n: string) => literal(values[Number(n) - 1]));
}

const literal = (v: unknown): string =>
  v === null || v === undefined
    ? "NULL"
    : pg.escapeLiteral(Array.isArray(v) ? `{${v.map(arrayElement).join(",")}}` : String(v));

const ARRAY_SPECIAL = /[\\"]/;
const arrayElement = (v: unknown): string => {
  if (v === null || v === undefined) return "NULL";
  const s = String(v);
  return `"${ARRAY_SPECIAL.test(s) ? s.replace(/[\\"]/g, "\\$&") : s}"`;
};

/**
 * The writes of a batch, one statement per kind of row, each over its column arrays: new
 * reservations and events (plain INSERTs: a unique violation means another instance stored the id
 * or key since the batch read it, and the caller runs the batch again), status changes, summed
 * rollups (in key order, the lock order), and the counters' final states (the batch holds their
 * locks).
 */
export const WRITES = {
  reservations: `INSERT INTO reservations (${RESERVATION_COLUMNS.join(", ")})
    SELECT * FROM ${unnest(RESERVATION_COLUMNS, 1, "v")}`,
  statuses: `UPDATE reservations AS r SET status = v.status FROM ${unnest(["id", "status"], 1, "v")}
    WHERE r.id = v.id`,
  events: `INSERT INTO events (${EVENT_COLUMNS.join(", ")}) SELECT * FROM ${unnest(EVENT_COLUMNS, 1, "v")}`,
  rollups: `INSERT INTO rollups_hourly (${ROLLUP_COLUMNS.join(", ")})
    SELECT * FROM ${unnest(ROLLUP_COLUMNS, 1, "v")} ORDER BY hour_start, dims_key
    ON CONFLICT (hour_start, dims_key) DO UPDATE SET
    ${ROLLUP_SUM_COLUMNS.map((c) => `${c} = rollups_hourly.${c} + excluded.${c}`).join(", ")}`,
  counters: `UPDATE counters AS c SET ${[...AMOUNT_COLS, "window_start"].map((a) => `${a} = v.${a}`).join(", ")}
    FROM ${unnest(COUNTER_STATE_COLUMNS, 1, "v")} WHERE c.key = v.key`,
};

/** Ingest: events whose key is new, returning their keys (to roll up only those). */
export const INGEST_EVENTS = {
  name: "budget_ingest_events",
  text: `INSERT INTO events (${EVENT_COLUMNS.join(", ")}) SELECT * FROM ${unnest(EVENT_COLUMNS, 1, "v")}
    ON CONFLICT DO NOTHING RETURNING idempotency_key`,
};

/** Ingest: summed rollup rows, in key order. */
export const INGEST_ROLLUPS = {
  name: "budget_ingest_rollups",
  text: `INSERT INTO rollups_hourly (${ROLLUP_COLUMNS.join(", ")})
    SELECT * FROM ${unnest(ROLLUP_COLUMNS, 1, "v")} ORDER BY hour_start, dims_key
    ON CONFLICT (hour_start, dims_key) DO UPDATE SET
    ${ROLLUP_SUM_COLUMNS.map((c) => `${c} = rollups_hourly.${c} + excluded.${c}`).join(", ")}`,
};

/** The reads of a batch, `$n` to {@link inline}. */
export const READS = {
  lockReservations: "SELECT * FROM reservations WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE",
  reservationsByKey: "SELECT * FROM reservations WHERE idempotency_key = ANY($1::text[])",
  eventsByKey: "SELECT * FROM events WHERE idempotency_key = ANY($1::text[])",
  lockCounters: "SELECT * FROM counters WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE",
  /** Counters read without a lock (the buckets a window sum is recomputed from). */
  counters: "SELECT * FROM counters WHERE key = ANY($1::text[])",
  /** The counters of keys `$1` and of the holds of reservations `$2`, locked in key order. */
  lockCountersWithHolds: `SELECT * FROM counters WHERE key IN (SELECT unnest($1::text[])
    UNION SELECT jsonb_array_elements(holds::jsonb)->>'key' FROM reservations WHERE id = ANY($2::text[]))
    ORDER BY key FOR UPDATE`,
  createCounters: `INSERT INTO counters (${COUNTER_REF_COLUMNS.join(", ")})
    SELECT * FROM ${unnest(COUNTER_REF_COLUMNS, 1, "v")} ORDER BY key ON CONFLICT DO NOTHING`,
};
