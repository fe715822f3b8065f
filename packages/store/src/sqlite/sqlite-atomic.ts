import type {
  Amounts,
  CounterHold,
  CounterIncrement,
  CounterRef,
  CounterState,
  Reservation,
  StoreCommitResult,
  StoreReserveResult,
  UsageEvent,
} from "@budget/core";
import type Database from "better-sqlite3";
import { notActive } from "../shared/not-active.js";
import { params } from "../shared/params.js";
import { checkHolds, counterDeltas, holdKeys } from "../shared/plan.js";
import { counterFromRow, eventFromRow, reservationFromRow } from "../shared/rows.js";
import { SQL } from "../shared/sql-text.js";

type Row = Record<string, unknown>;

/**
 * The atomic operations on SQLite as prepared better-sqlite3 statements inside `BEGIN IMMEDIATE`
 * transactions. Raw statements, not Kysely, on this path: Kysely prepares every query anew and
 * adds promise hops, which costs several times the 20k reserve+commit pairs/s the store targets.
 * `BEGIN IMMEDIATE` takes the write lock first, so processes sharing the file serialize instead of
 * failing on a read-to-write lock upgrade.
 */
export function createSqliteAtomic(db: Database.Database) {
  const stmt = Object.fromEntries(Object.entries(SQL).map(([k, s]) => [k, db.prepare(s)])) as {
    [K in keyof typeof SQL]: Database.Statement;
  };
  const loadOf = (row: Row | undefined): Amounts => {
    if (!row) return { tokens: 0, costNanoUsd: 0n, requests: 0 };
    const c = counterFromRow(row);
    return {
      tokens: c.used.tokens + c.reserved.tokens,
      costNanoUsd: c.used.costNanoUsd + c.reserved.costNanoUsd,
      requests: c.used.requests + c.reserved.requests,
    };
  };

  const reserve = db.transaction((reservation: Reservation, holds: CounterHold[]): StoreReserveResult => {
    if (reservation.idempotencyKey !== null) {
      const existing = stmt.reservationByKey.get(reservation.idempotencyKey) as Row | undefined;
      if (existing) return { ok: true, reservation: reservationFromRow(existing), duplicate: true };
    }
    const load = new Map<string, Amounts>();
    for (const key of holdKeys(holds)) load.set(key, loadOf(stmt.counterByKey.get(key) as Row | undefined));
    const decision = checkHolds(holds, load);
    if (!decision.ok) return decision;
    for (const h of holds) stmt.addReserved.run(params.addReserved(h.counter, h.amounts));
    stmt.insertReservation.run(params.reservation(reservation));
    return { ok: true, reservation: structuredClone(reservation), duplicate: false };
  });

  const commit = db.transaction((event: UsageEvent, increments: CounterIncrement[]): StoreCommitResult => {
    const seen = stmt.eventByKey.get(event.idempotencyKey) as Row | undefined;
    if (seen) return { status: "duplicate", event: eventFromRow(seen), counters: [] };
    let settled: Reservation | null = null;
    if (event.reservationId !== null) {
      const row = stmt.reservationById.get(event.reservationId) as Row | undefined;
      settled = row ? reservationFromRow(row) : null;
      if (!settled || settled.status !== "active") throw notActive(event.reservationId, settled);
      stmt.setReservationStatus.run("committed", settled.id);
    }
    for (const d of counterDeltas(settled, increments)) {
      if (d.ref) stmt.addUsedAndReserved.run(params.addUsedAndReserved({ ...d, ref: d.ref }));
      else stmt.subtractReserved.run(params.subtractReserved(d));
    }
    stmt.insertEvent.run(params.event(event));
    stmt.upsertRollup.run(params.rollup(event));
    const counters = increments.map((inc) => counterFromRow(stmt.counterByKey.get(inc.counter.key) as Row));
    return { status: "committed", event: structuredClone(event), counters };
  });

  const release = db.transaction((id: string, status: "released" | "expired"): Reservation | null => {
    const row = stmt.reservationById.get(id) as Row | undefined;
    if (!row) return null;
    const r = reservationFromRow(row);
    if (r.status !== "active") return r;
    for (const d of counterDeltas(r, [])) stmt.subtractReserved.run(params.subtractReserved(d));
    stmt.setReservationStatus.run(status, id);
    return { ...r, status };
  });

  const setCountersUsed = db.transaction((states: { counter: CounterRef; used: Amounts }[]) => {
    for (const s of states) stmt.setUsed.run(params.setUsed(s.counter, s.used));
  });

  return {
    reserve: (r: Reservation, holds: CounterHold[]) => reserve.immediate(r, holds),
    commit: (e: UsageEvent, increments: CounterIncrement[]) => commit.immediate(e, increments),
    release: (id: string, status: "released" | "expired") => release.immediate(id, status),
    setCountersUsed: (states: { counter: CounterRef; used: Amounts }[]) => setCountersUsed.immediate(states),
    getCounters: (keys: string[]): CounterState[] =>
      keys.flatMap((k) => {
        const row = stmt.counterByKey.get(k) as Row | undefined;
        return row ? [counterFromRow(row)] : [];
      }),
  };
}
