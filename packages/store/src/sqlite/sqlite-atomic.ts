import type { Alert, Amounts, BatchOp, Reservation, Settled, UsageEvent } from "@budget/core";
import type { CounterRef, CounterState } from "@budget/core/store-kit";
import {
  applyBatch,
  type BatchWrites,
  batchCounters,
  batchLookups,
  copyReservation,
  windowRefreshKeys,
} from "@budget/core/store-kit";
import type Database from "better-sqlite3";
import { params } from "../shared/params.js";
import { createRollupSums, rollupsOf } from "../shared/rollup-sums.js";
import { counterFromRow, eventFromRow, reservationFromRow } from "../shared/rows.js";
import { pruneSql, SQL } from "../shared/sql-text.js";

type Row = Record<string, unknown>;

/** Events per ingest transaction: large enough to amortize the commit, small enough to bound the WAL. */
const INGEST_CHUNK = 50_000;

/** Most reservations {@link createSqliteAtomic} remembers; past it the memory starts over. */
const MAX_CACHED_RESERVATIONS = 100_000;

/**
 * The atomic operations and the per-operation reads on SQLite as prepared better-sqlite3
 * statements (prepared once: preparing costs more than running these statements). Raw statements,
 * not Kysely, on this path: Kysely prepares every query anew and adds promise hops.
 *
 * `runBatch` runs a group-commit batch in ONE `BEGIN IMMEDIATE` transaction (the write lock first,
 * so processes sharing the file serialize instead of failing on a lock upgrade): it reads the rows
 * the batch needs, applies the ops in memory (`applyBatch`: an op that throws leaves no trace) and
 * writes the result. Everything is synchronous: no other query on this connection can interleave
 * with an open batch.
 *
 * Active reservations this connection wrote are remembered, so settling them does not read them
 * back: the memory is trusted only while `PRAGMA data_version` (read inside the write lock) shows
 * no other connection committed since; otherwise, or after a failed batch, it is dropped. Only
 * batches write reservations, so the memory and the file cannot disagree otherwise.
 */
export function createSqliteAtomic(db: Database.Database) {
  const stmt = Object.fromEntries(Object.entries(SQL).map(([k, s]) => [k, db.prepare(s)])) as {
    [K in keyof typeof SQL]: Database.Statement;
  };
  const insertEventIfNew = db.prepare(`${SQL.insertEvent} ON CONFLICT DO NOTHING`);
  const rowsOf = <T>(keys: string[], read: Database.Statement, from: (row: Row) => T) => {
    const found = new Map<string, T>();
    for (const k of keys) {
      const row = read.get(k) as Row | undefined;
      if (row) found.set(k, from(row));
    }
    return found;
  };

  const dataVersion = db.prepare("PRAGMA data_version").pluck();
  const active = new Map<string, Reservation>();
  let seenVersion: unknown = null;
  /** The reservations `ids`, from memory when no other connection committed since it was filled. */
  const reservationsOf = (ids: string[]) => {
    const version = dataVersion.get();
    if (version !== seenVersion || active.size > MAX_CACHED_RESERVATIONS) active.clear();
    seenVersion = version;
    const found = new Map<string, Reservation>();
    for (const id of ids) {
      const known = active.get(id);
      const row = known ? undefined : (stmt.reservationById.get(id) as Row | undefined);
      const r = known ?? (row ? reservationFromRow(row) : undefined);
      if (r) found.set(id, r);
    }
    return found;
  };
  /** After COMMIT: remember what the batch left active, forget what it settled. */
  const remember = (writes: BatchWrites) => {
    for (const r of writes.reservations) if (r.status === "active") active.set(r.id, copyReservation(r));
    for (const s of writes.statuses) active.delete(s.id);
  };

  // Inside the write lock, so what is read here stays true until COMMIT.
  const batch = db.transaction((ops: readonly BatchOp[]) => {
    const need = batchLookups(ops);
    const reservationsById = reservationsOf(need.reservationIds);
    const counters = rowsOf(batchCounters(ops, reservationsById).keys, stmt.counterByKey, counterFromRow);
    for (const [k, c] of rowsOf(windowRefreshKeys(ops, counters), stmt.counterByKey, counterFromRow))
      counters.set(k, c);
    const state = {
      reservationsById,
      reservationsByKey: rowsOf(need.reservationKeys, stmt.reservationByKey, reservationFromRow),
      eventsByKey: rowsOf(need.eventKeys, stmt.eventByKey, eventFromRow),
      counters,
    };
    const { outcomes, writes } = applyBatch(ops, state);
    for (const r of writes.reservations) stmt.insertReservation.run(params.reservation(r));
    for (const s of writes.statuses) stmt.setReservationStatus.run(s.status, s.id);
    for (const e of writes.events) stmt.insertEvent.run(params.event(e));
    for (const row of rollupsOf(writes.events).params()) stmt.upsertRollup.run(row);
    for (const c of writes.counters) stmt.putCounter.run(params.putCounter(c));
    return { outcomes, writes };
  });

  const prune = pruneSql("sqlite");
  const deleteEvents = db.prepare(prune.deleteEvents);
  const raiseHorizon = db.prepare(prune.raiseHorizon);
  const deleteSettled = db.prepare(prune.deleteSettledReservations);
  const rowidRange = db.prepare("SELECT min(rowid) AS lo, max(rowid) AS hi FROM reservations");
  const createdAtFrom = db.prepare(
    "SELECT created_at FROM reservations WHERE rowid >= ? ORDER BY rowid LIMIT 1",
  );
  /**
   * The first rowid whose reservation was created at or after `at` — rows are numbered in
   * insertion order, so a binary search over rowids (each probe one index step) finds it without
   * scanning the table.
   */
  const firstRowidFrom = (at: number): bigint => {
    const range = rowidRange.get() as { lo: bigint | null; hi: bigint | null };
    if (range.lo === null || range.hi === null) return 0n;
    let lo = range.lo;
    let hi = range.hi + 1n;
    while (lo < hi) {
      const mid = (lo + hi) / 2n;
      const row = createdAtFrom.get(mid) as { created_at: bigint } | undefined;
      if (row && Number(row.created_at) < at) lo = mid + 1n;
      else hi = mid;
    }
    return lo;
  };
  const pruneEvents = db.transaction((before: number): number => {
    const deleted = deleteEvents.run(before).changes;
    raiseHorizon.run(before);
    deleteSettled.run(before, firstRowidFrom(before));
    return deleted;
  });

  const setCountersUsed = db.transaction((states: { counter: CounterRef; used: Amounts }[]) => {
    for (const s of states) stmt.setUsed.run(params.setUsed(s.counter, s.used));
  });

  const ingest = db.transaction((events: UsageEvent[]): number => {
    const sums = createRollupSums();
    let added = 0;
    for (const e of events)
      if (insertEventIfNew.run(params.event(e)).changes > 0) {
        added += 1;
        sums.add(e);
      }
    for (const row of sums.params()) stmt.upsertRollup.run(row);
    return added;
  });

  return {
    runBatch(ops: readonly BatchOp[]): Settled[] {
      try {
        const { outcomes, writes } = batch.immediate(ops);
        remember(writes);
        return outcomes;
      } catch (err) {
        active.clear(); // ops may have changed remembered reservations before the rollback
        throw err;
      }
    },
    setCountersUsed: (states: { counter: CounterRef; used: Amounts }[]) => setCountersUsed.immediate(states),
    pruneEvents: (before: number): number => pruneEvents.immediate(before),
    /** Appends events whose idempotency key is new, with their rollups; returns how many were new. */
    ingestEvents(events: UsageEvent[]): number {
      let added = 0;
      for (let i = 0; i < events.length; i += INGEST_CHUNK)
        added += ingest.immediate(events.slice(i, i + INGEST_CHUNK));
      return added;
    },
    getCounters: (keys: string[]): CounterState[] =>
      keys.flatMap((k) => {
        const row = stmt.counterByKey.get(k) as Row | undefined;
        return row ? [counterFromRow(row)] : [];
      }),
    getReservation(id: string): Reservation | null {
      const row = stmt.reservationById.get(id) as Row | undefined;
      return row ? reservationFromRow(row) : null;
    },
    getEventByIdempotencyKey(key: string): UsageEvent | null {
      const row = stmt.eventByKey.get(key) as Row | undefined;
      return row ? eventFromRow(row) : null;
    },
    listExpiredReservations: (now: number, limit: number): Reservation[] =>
      (stmt.expiredReservations.all(now, Math.max(0, Math.trunc(limit))) as Row[]).map(reservationFromRow),
    insertAlert: (alert: Alert): boolean => stmt.insertAlert.run(params.alert(alert)).changes > 0,
  };
}
