import { USAGE_COLUMN_LIST } from "../schema/columns.js";
import { ROLLUP_SUM_COLUMNS } from "../shared/plan.js";
import { EVENT_COLUMNS, RESERVATION_COLUMNS, ROLLUP_COLUMNS } from "../shared/sql-text.js";

/**
 * The PostgreSQL statements of a group-commit batch, as named (server-side prepared) queries. Rows
 * travel as one array per column through `unnest`, so a statement's text — and its prepared plan —
 * does not depend on how many rows it carries.
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
export const COUNTER_STATE_COLUMNS = ["key", ...AMOUNT_COLS];
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

const reservationsAt = 1;
const statusesAt = reservationsAt + RESERVATION_COLUMNS.length;
const eventsAt = statusesAt + 2;
const rollupsAt = eventsAt + EVENT_COLUMNS.length;
const countersAt = rollupsAt + ROLLUP_COLUMNS.length;

/**
 * Every write of a batch in ONE statement (one round trip): new reservations and events (a row
 * skipped by `ON CONFLICT` means another instance took the key since the batch read it — the caller
 * compares the counts and runs the batch again), status changes, summed rollups (in key order, the
 * lock order), and the counters' final states (the batch holds their locks).
 */
export const WRITE_BATCH = {
  name: "budget_write_batch",
  text: `WITH
  new_reservations AS (
    INSERT INTO reservations (${RESERVATION_COLUMNS.join(", ")})
    SELECT * FROM ${unnest(RESERVATION_COLUMNS, reservationsAt, "v")}
    ON CONFLICT DO NOTHING RETURNING 1),
  statuses AS (
    UPDATE reservations AS r SET status = v.status FROM ${unnest(["id", "status"], statusesAt, "v")}
    WHERE r.id = v.id RETURNING 1),
  new_events AS (
    INSERT INTO events (${EVENT_COLUMNS.join(", ")})
    SELECT * FROM ${unnest(EVENT_COLUMNS, eventsAt, "v")}
    ON CONFLICT DO NOTHING RETURNING 1),
  rollups AS (
    INSERT INTO rollups_hourly (${ROLLUP_COLUMNS.join(", ")})
    SELECT * FROM ${unnest(ROLLUP_COLUMNS, rollupsAt, "v")} ORDER BY hour_start, dims_key
    ON CONFLICT (hour_start, dims_key) DO UPDATE SET
    ${ROLLUP_SUM_COLUMNS.map((c) => `${c} = rollups_hourly.${c} + excluded.${c}`).join(", ")}
    RETURNING 1),
  counters_set AS (
    UPDATE counters AS c SET ${AMOUNT_COLS.map((a) => `${a} = v.${a}`).join(", ")}
    FROM ${unnest(COUNTER_STATE_COLUMNS, countersAt, "v")} WHERE c.key = v.key RETURNING 1)
  SELECT (SELECT count(*) FROM new_reservations)::int AS reservations,
    (SELECT count(*) FROM new_events)::int AS events,
    (SELECT count(*) FROM statuses)::int AS statuses,
    (SELECT count(*) FROM rollups)::int AS rollups,
    (SELECT count(*) FROM counters_set)::int AS counters`,
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

export const READS = {
  lockReservations: {
    name: "budget_lock_reservations",
    text: "SELECT * FROM reservations WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE",
  },
  reservationsByKey: {
    name: "budget_reservations_by_key",
    text: "SELECT * FROM reservations WHERE idempotency_key = ANY($1::text[])",
  },
  eventsByKey: {
    name: "budget_events_by_key",
    text: "SELECT * FROM events WHERE idempotency_key = ANY($1::text[])",
  },
  lockCounters: {
    name: "budget_lock_counters",
    text: "SELECT * FROM counters WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE",
  },
  createCounters: {
    name: "budget_create_counters",
    text: `INSERT INTO counters (${COUNTER_REF_COLUMNS.join(", ")})
      SELECT * FROM ${unnest(COUNTER_REF_COLUMNS, 1, "v")} ORDER BY key ON CONFLICT DO NOTHING`,
  },
};
