import type { Alert, Amounts, Reservation, SliceStatus, UsageEvent } from "@budget/core";
import type { CounterRef, CounterState } from "@budget/core/store-kit";
import type { Pool, PoolClient } from "pg";
import { params } from "../shared/params.js";
import { eventFromRow, reservationFromRow } from "../shared/rows.js";
import { foldSlices, sliceRowFromRow, sliceStatusOf } from "../shared/slice-rows.js";
import { numberPlaceholders, SQL } from "../shared/sql-text.js";
import { inTransaction } from "./postgres-batch.js";
import { isRetryable } from "./postgres-errors.js";

/** Named (server-side prepared, per connection) queries for the reads the engine makes per operation. */
const q = (name: string, text: string) => ({ name, text: numberPlaceholders(text) });
const STATEMENTS = {
  reservationById: q("budget_reservation_by_id", SQL.reservationById),
  eventByKey: q("budget_event_by_key", SQL.eventByKey),
  expiredReservations: q("budget_expired_reservations", SQL.expiredReservations),
  insertAlert: q("budget_insert_alert", SQL.insertAlert),
  /** The counters and every slice of them (folded in by `foldSlices`). */
  counters: {
    name: "budget_counters",
    text: "SELECT * FROM counters WHERE key = ANY($1::text[]) OR slice_of = ANY($1::text[])",
  },
  allCounters: { name: "budget_all_counters", text: "SELECT * FROM counters ORDER BY key" },
  /** Slice rows that still hold, count or were granted something. */
  openSlices: {
    name: "budget_open_slices",
    text: `SELECT * FROM counters WHERE slice_of IS NOT NULL AND (grant_tokens <> 0 OR grant_cost_nano <> 0
      OR grant_requests <> 0 OR used_tokens <> 0 OR used_cost_nano <> 0 OR used_requests <> 0
      OR reserved_tokens <> 0 OR reserved_cost_nano <> 0 OR reserved_requests <> 0) ORDER BY key`,
  },
  budgetCounters: {
    name: "budget_budget_counters",
    text: "SELECT * FROM counters WHERE budget_id = $1 ORDER BY key",
  },
  /** `used` set so that the counter with its slices folded in reads the value (reconcile). */
  setUsed: q(
    "budget_set_used",
    SQL.setUsed.replace(
      /used_(tokens|cost_nano|requests) = excluded\.used_\1/g,
      "used_$1 = excluded.used_$1 - (SELECT coalesce(sum(s.used_$1), 0) FROM counters s WHERE s.slice_of = excluded.key)",
    ),
  ),
};

/**
 * PostgreSQL operations outside group commit: the per-operation reads as named queries, and
 * `setCountersUsed` in its own transaction (counters in key order, retried on deadlock).
 */
export function createPostgresAtomic(pool: Pool) {
  async function tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(pool, fn);
      } catch (err) {
        if (!isRetryable(err) || attempt >= 8) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * 2 ** attempt));
      }
    }
  }

  return {
    tx,
    async setCountersUsed(states: { counter: CounterRef; used: Amounts }[]): Promise<void> {
      const sorted = [...states].sort((a, b) => (a.counter.key < b.counter.key ? -1 : 1));
      await tx(async (c) => {
        for (const s of sorted)
          await c.query({ ...STATEMENTS.setUsed, values: params.setUsed(s.counter, s.used) });
      });
    },
    async getCounters(keys: string[]): Promise<CounterState[]> {
      const found = await pool.query({ ...STATEMENTS.counters, values: [keys] });
      const byKey = new Map(foldSlices(found.rows.map(sliceRowFromRow)).map((c) => [c.key, c]));
      return keys.flatMap((k) => {
        const s = byKey.get(k);
        return s ? [s] : [];
      });
    },
    async listCounters(budgetId?: string): Promise<CounterState[]> {
      const found =
        budgetId === undefined
          ? await pool.query(STATEMENTS.allCounters)
          : await pool.query({ ...STATEMENTS.budgetCounters, values: [budgetId] });
      return foldSlices(found.rows.map(sliceRowFromRow));
    },
    async sliceStatus(): Promise<SliceStatus[]> {
      return sliceStatusOf((await pool.query(STATEMENTS.openSlices)).rows.map(sliceRowFromRow));
    },
    async getReservation(id: string): Promise<Reservation | null> {
      const [row] = (await pool.query({ ...STATEMENTS.reservationById, values: [id] })).rows;
      return row ? reservationFromRow(row) : null;
    },
    async getEventByIdempotencyKey(key: string): Promise<UsageEvent | null> {
      const [row] = (await pool.query({ ...STATEMENTS.eventByKey, values: [key] })).rows;
      return row ? eventFromRow(row) : null;
    },
    async listExpiredReservations(now: number, limit: number): Promise<Reservation[]> {
      const found = await pool.query({
        ...STATEMENTS.expiredReservations,
        values: [now, Math.max(0, Math.trunc(limit))],
      });
      return found.rows.map(reservationFromRow);
    },
    async insertAlert(alert: Alert): Promise<boolean> {
      return (
        ((await pool.query({ ...STATEMENTS.insertAlert, values: params.alert(alert) })).rowCount ?? 0) > 0
      );
    },
  };
}
