import {
  type Amounts,
  addAmounts,
  BudgetError,
  type CounterHold,
  type CounterIncrement,
  type CounterRef,
  type Reservation,
  type StoreCommitResult,
  type StoreReserveResult,
  type UsageEvent,
  zeroAmounts,
} from "@budget/core";
import type { Pool, PoolClient, QueryResultRow } from "pg";
import { notActive } from "../shared/not-active.js";
import { params } from "../shared/params.js";
import { type CounterDelta, checkHolds, counterDeltas } from "../shared/plan.js";
import { counterFromRow, eventFromRow, reservationFromRow } from "../shared/rows.js";
import { numberPlaceholders, SQL } from "../shared/sql-text.js";
import { isRetryable } from "./postgres-errors.js";

const AMOUNT = ["tokens", "cost_nano", "requests"] as const;
const REF_COLS = "key, budget_id, limit_id, partition, window_start, window_end";
const REF_TYPES = ["text", "text", "text", "text", "int8", "int8"];

/**
 * Locks counters in key order and applies deltas in one statement: `INSERT … SELECT … ORDER BY key
 * ON CONFLICT DO UPDATE` visits rows in key order, inserting missing counters and locking existing
 * ones as it goes, so concurrent reservations and commits always queue in the same order.
 */
const upsertDeltas = (() => {
  const cols = [...REF_TYPES, "int8", "int8", "int8", "int8", "int8", "int8"];
  const names = `${REF_COLS}, ${AMOUNT.map((a) => `used_${a}`).join(", ")}, ${AMOUNT.map((a) => `reserved_${a}`).join(", ")}`;
  return `INSERT INTO counters (${names})
    SELECT * FROM unnest(${cols.map((t, i) => `$${i + 1}::${t}[]`).join(", ")}) AS v(${names}) ORDER BY key
    ON CONFLICT (key) DO UPDATE SET
    ${AMOUNT.flatMap((a) => [`used_${a} = counters.used_${a} + excluded.used_${a}`, `reserved_${a} = counters.reserved_${a} + excluded.reserved_${a}`]).join(", ")}
    RETURNING *`;
})();

const q = (name: string, text: string) => ({ name, text: numberPlaceholders(text) });
const STATEMENTS = {
  reservationByKey: q("budget_reservation_by_key", SQL.reservationByKey),
  insertReservation: q(
    "budget_insert_reservation",
    `${SQL.insertReservation} ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
  ),
  lockExtra: {
    name: "budget_lock_extra",
    text: "SELECT * FROM counters WHERE key = ANY($1) ORDER BY key FOR UPDATE",
  },
  insertEvent: q(
    "budget_insert_event",
    `${SQL.insertEvent} ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
  ),
  eventByKey: q("budget_event_by_key", SQL.eventByKey),
  settle: {
    name: "budget_settle",
    text: "UPDATE reservations SET status = $1 WHERE id = $2 AND status = 'active' RETURNING *",
  },
  reservationById: q("budget_reservation_by_id", SQL.reservationById),
  subtractReserved: q("budget_subtract_reserved", SQL.subtractReserved),
  upsertRollup: q("budget_upsert_rollup", SQL.upsertRollup),
  upsertDeltas: { name: "budget_upsert_deltas", text: upsertDeltas },
};

/** Column arrays of `upsertDeltas` for the deltas that carry a counter reference. */
function deltaArrays(deltas: (CounterDelta & { ref: CounterRef })[]): unknown[] {
  const pick = (f: (d: CounterDelta & { ref: CounterRef }) => unknown) => deltas.map(f);
  return [
    pick((d) => d.key),
    pick((d) => d.ref.budgetId),
    pick((d) => d.ref.limitId),
    pick((d) => d.ref.partition),
    pick((d) => String(d.ref.windowStart)),
    pick((d) => (d.ref.windowEnd === null ? null : String(d.ref.windowEnd))),
    ...(["used", "reserved"] as const).flatMap((side) => [
      pick((d) => String(d[side].tokens)),
      pick((d) => String(d[side].costNanoUsd)),
      pick((d) => String(d[side].requests)),
    ]),
  ];
}

class DuplicateReservation extends Error {}

/** The atomic operations on PostgreSQL; each runs in one transaction, retried on deadlock/serialization. */
export function createPostgresAtomic(pool: Pool) {
  async function tx<T>(fn: (c: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const c = await pool.connect();
      try {
        await c.query("BEGIN");
        const out = await fn(c);
        await c.query("COMMIT");
        return out;
      } catch (err) {
        await c.query("ROLLBACK").catch(() => {});
        if (!isRetryable(err) || attempt >= 8) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 5 * 2 ** attempt));
      } finally {
        c.release();
      }
    }
  }
  const rows = async (c: PoolClient, s: { name: string; text: string }, values: unknown[]) =>
    (await c.query<QueryResultRow>({ ...s, values })).rows;

  async function reserve(reservation: Reservation, holds: CounterHold[]): Promise<StoreReserveResult> {
    const key = reservation.idempotencyKey;
    const existing = async () => {
      const [row] = (await pool.query({ ...STATEMENTS.reservationByKey, values: [key] })).rows;
      return row ? reservationFromRow(row) : null;
    };
    if (key !== null) {
      const found = await existing();
      if (found) return { ok: true, reservation: found, duplicate: true };
    }
    try {
      return await tx(async (c) => {
        // Lock (creating with zero) every held counter in key order, then any other summed key.
        const byKey = new Map<string, CounterDelta & { ref: CounterRef }>();
        for (const h of holds)
          byKey.set(h.counter.key, {
            key: h.counter.key,
            ref: h.counter,
            used: zeroAmounts(),
            reserved: zeroAmounts(),
          });
        const locked = await rows(c, STATEMENTS.upsertDeltas, deltaArrays([...byKey.values()]));
        const extra = [...new Set(holds.flatMap((h) => h.cap?.sumKeys ?? []))]
          .filter((k) => !byKey.has(k))
          .sort();
        if (extra.length > 0) locked.push(...(await rows(c, STATEMENTS.lockExtra, [extra])));
        const load = new Map<string, Amounts>();
        for (const row of locked) {
          const s = counterFromRow(row);
          load.set(s.key, addAmounts(s.used, s.reserved));
        }
        const decision = checkHolds(holds, load);
        if (!decision.ok) return decision;
        for (const h of holds) {
          const d = byKey.get(h.counter.key)!;
          d.reserved = addAmounts(d.reserved, h.amounts);
        }
        await rows(c, STATEMENTS.upsertDeltas, deltaArrays([...byKey.values()]));
        const inserted = await rows(c, STATEMENTS.insertReservation, params.reservation(reservation));
        if (inserted.length === 0) throw new DuplicateReservation();
        return { ok: true as const, reservation: structuredClone(reservation), duplicate: false };
      });
    } catch (err) {
      if (!(err instanceof DuplicateReservation)) throw err;
      const found = await existing();
      if (!found) throw new BudgetError("internal", `reservation with idempotency key ${key} vanished`);
      return { ok: true, reservation: found, duplicate: true };
    }
  }

  async function commit(event: UsageEvent, increments: CounterIncrement[]): Promise<StoreCommitResult> {
    const result = await tx(async (c): Promise<StoreCommitResult | null> => {
      const inserted = await rows(c, STATEMENTS.insertEvent, params.event(event));
      if (inserted.length === 0) return null;
      let settled: Reservation | null = null;
      if (event.reservationId !== null) {
        const [row] = await rows(c, STATEMENTS.settle, ["committed", event.reservationId]);
        if (!row) {
          const [other] = await rows(c, STATEMENTS.reservationById, [event.reservationId]);
          throw notActive(event.reservationId, other ? reservationFromRow(other) : null);
        }
        settled = reservationFromRow(row);
      }
      const deltas = counterDeltas(settled, increments);
      const withRef = deltas.filter((d): d is CounterDelta & { ref: CounterRef } => d.ref !== null);
      const states = new Map(
        (await rows(c, STATEMENTS.upsertDeltas, deltaArrays(withRef))).map((r) => [
          r.key as string,
          counterFromRow(r),
        ]),
      );
      for (const d of deltas)
        if (!d.ref) await rows(c, STATEMENTS.subtractReserved, params.subtractReserved(d));
      await rows(c, STATEMENTS.upsertRollup, params.rollup(event));
      return {
        status: "committed",
        event: structuredClone(event),
        counters: increments.map((inc) => states.get(inc.counter.key)!),
      };
    });
    if (result) return result;
    const [row] = (await pool.query({ ...STATEMENTS.eventByKey, values: [event.idempotencyKey] })).rows;
    if (!row)
      throw new BudgetError("internal", `event with idempotency key ${event.idempotencyKey} vanished`);
    return { status: "duplicate", event: eventFromRow(row), counters: [] };
  }

  async function release(id: string, status: "released" | "expired"): Promise<Reservation | null> {
    return tx(async (c) => {
      const [row] = await rows(c, STATEMENTS.settle, [status, id]);
      if (!row) {
        const [other] = await rows(c, STATEMENTS.reservationById, [id]);
        return other ? reservationFromRow(other) : null;
      }
      const r = reservationFromRow(row);
      for (const d of counterDeltas(r, []))
        await rows(c, STATEMENTS.subtractReserved, params.subtractReserved(d));
      return r;
    });
  }

  async function setCountersUsed(states: { counter: CounterRef; used: Amounts }[]): Promise<void> {
    const sorted = [...states].sort((a, b) => (a.counter.key < b.counter.key ? -1 : 1));
    await tx(async (c) => {
      for (const s of sorted)
        await c.query(numberPlaceholders(SQL.setUsed), params.setUsed(s.counter, s.used));
    });
  }

  return { reserve, commit, release, setCountersUsed, tx };
}
