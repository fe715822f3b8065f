import type { Amounts, BatchOp, Settled } from "@budget/core";
import { BudgetError, type UsageEvent } from "@budget/core";
import {
  applyBatch,
  type BatchState,
  type BatchWrites,
  batchCounters,
  batchLookups,
  type CounterState,
  windowRefreshKeys,
} from "@budget/core/store-kit";
import type { Pool, PoolClient, QueryResult, QueryResultRow } from "pg";
import { params } from "../shared/params.js";
import { createRollupSums, rollupsOf } from "../shared/rollup-sums.js";
import { counterFromRow, eventFromRow, reservationFromRow } from "../shared/rows.js";
import { sliceRowFromRow } from "../shared/slice-rows.js";
import {
  COUNTER_REF_COLUMNS,
  COUNTER_STATE_COLUMNS,
  columnArrays,
  EVENT_COLUMNS,
  INGEST_EVENTS,
  INGEST_ROLLUPS,
  inline,
  READS,
  RESERVATION_COLUMNS,
  ROLLUP_COLUMNS,
  WRITES,
} from "./postgres-batch-sql.js";
import { isRetryable } from "./postgres-errors.js";

/**
 * Another instance stored one of a batch's ids or idempotency keys after the batch read them (a
 * unique violation in its writes): the batch runs again (and then sees the key). Still failing
 * after the retries, it is a `conflict` (e.g. a reused id).
 */
export class LostRace extends BudgetError {
  constructor() {
    super("conflict", "a reservation or event id or idempotency key was stored concurrently");
  }
}

/** Whole-batch failures the group commit retries: deadlock, serialization failure, a lost race. */
export const isBatchRetryable = (err: unknown): boolean => err instanceof LostRace || isRetryable(err);

type Query = { name: string; text: string };

/** Runs `fn` in a transaction on one pooled connection. */
export async function inTransaction<T>(pool: Pool, fn: (c: PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    const out = await fn(c);
    await c.query("COMMIT");
    return out;
  } catch (err) {
    await c.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    c.release();
  }
}

const rows = async (c: PoolClient, q: Query, values: unknown[]) =>
  (await c.query<QueryResultRow>({ ...q, values })).rows;

/** The statements of a round trip, in order, with their results (one per statement). */
async function roundTrip(c: PoolClient, statements: string[]): Promise<QueryResultRow[][]> {
  const out = (await c.query(statements.join(";\n"))) as unknown as QueryResult | QueryResult[];
  return (Array.isArray(out) ? out : [out]).map((r) => r.rows);
}

/**
 * Opens the batch's transaction and reads its state in ONE round trip: the reservations it settles
 * (locked by id), those and the events with its idempotency keys, and its counters — those its ops
 * name and those the settled reservations hold — locked in key order, so that concurrent batches
 * (of this instance or others) queue in one order instead of deadlocking. Counters missing then
 * are created and everything locked again.
 */
async function readBatch(c: PoolClient, ops: readonly BatchOp[]): Promise<BatchState> {
  const need = batchLookups(ops);
  const named = batchCounters(ops, new Map()).keys;
  const reads: [string, unknown[]][] = [];
  const add = (text: string, ...values: unknown[]) => reads.push([text, values]) - 1;
  const ids = need.reservationIds.length > 0 ? add(READS.lockReservations, need.reservationIds) : -1;
  const keys = need.reservationKeys.length > 0 ? add(READS.reservationsByKey, need.reservationKeys) : -1;
  const events = need.eventKeys.length > 0 ? add(READS.eventsByKey, need.eventKeys) : -1;
  const counters =
    ids >= 0 ? add(READS.lockCountersWithHolds, named, need.reservationIds) : add(READS.lockCounters, named);
  const results = (await roundTrip(c, ["BEGIN", ...reads.map(([t, v]) => inline(t, v))])).slice(1);
  const byKey = <T>(i: number, keyOf: (r: QueryResultRow) => string, from: (r: QueryResultRow) => T) =>
    new Map((results[i] ?? []).map((r) => [keyOf(r), from(r)]));
  const state: BatchState = {
    reservationsById: byKey(ids, (r) => r.id as string, reservationFromRow),
    reservationsByKey: byKey(keys, (r) => r.idempotency_key as string, reservationFromRow),
    eventsByKey: byKey(events, (r) => r.idempotency_key as string, eventFromRow),
    counters: byKey(counters, (r) => r.key as string, counterFromRow),
    grants: grantsOf(results[counters] ?? []),
  };
  const all = batchCounters(ops, state.reservationsById);
  const missing = all.refs.filter((r) => !state.counters.has(r.key));
  if (missing.length > 0) {
    const refRows = missing.map((r) => [
      r.key,
      r.budgetId,
      r.limitId,
      r.partition,
      r.windowStart,
      r.windowEnd,
    ]);
    const [, locked] = await roundTrip(c, [
      inline(READS.createCounters, columnArrays(refRows, COUNTER_REF_COLUMNS.length)),
      inline(READS.lockCounters, [all.keys]),
    ]);
    state.counters = new Map((locked ?? []).map((r) => [r.key as string, counterFromRow(r)]));
    state.grants = grantsOf(locked ?? []);
  }
  // Buckets of window sums behind their window: read, not locked — see `windowRefreshKeys`.
  const refresh = windowRefreshKeys(ops, state.counters);
  if (refresh.length > 0)
    for (const r of (await c.query(READS.counters, [refresh])).rows)
      state.counters.set(r.key as string, counterFromRow(r));
  return state;
}

/** The grants of the slice rows among `counterRows` (ADR 0010). */
function grantsOf(counterRows: readonly QueryResultRow[]): Map<string, Amounts> {
  const grants = new Map<string, Amounts>();
  for (const row of counterRows)
    if (row.slice_of !== null && row.slice_of !== undefined) {
      const r = sliceRowFromRow(row);
      grants.set(r.state.key, r.grant);
    }
  return grants;
}

/** The batch's writes, one statement per kind of row that has any. */
function writeStatements(writes: BatchWrites): string[] {
  const counterRows = writes.counters.map((s: CounterState) => [
    s.key,
    s.used.tokens,
    s.used.costNanoUsd,
    s.used.requests,
    s.reserved.tokens,
    s.reserved.costNanoUsd,
    s.reserved.requests,
    s.windowStart,
  ]);
  const parts: [string, unknown[][], number][] = [
    [WRITES.reservations, writes.reservations.map(params.reservation), RESERVATION_COLUMNS.length],
    [WRITES.statuses, writes.statuses.map((s) => [s.id, s.status]), 2],
    [WRITES.events, writes.events.map(params.event), EVENT_COLUMNS.length],
    [WRITES.rollups, rollupsOf(writes.events).params(), ROLLUP_COLUMNS.length],
    [WRITES.counters, counterRows, COUNTER_STATE_COLUMNS.length],
  ];
  return parts.flatMap(([text, rowsOf, width]) =>
    rowsOf.length > 0 ? [inline(text, columnArrays(rowsOf, width))] : [],
  );
}

const UNIQUE_VIOLATION = "23505";

/**
 * A group-commit batch on PostgreSQL in one transaction and two round trips, whatever its size:
 * BEGIN with every read and lock (`readBatch`), then — after applying the ops in memory
 * (`applyBatch`) — every write with the COMMIT. A unique violation in the writes means another
 * instance stored one of the batch's ids or keys after the batch read them: {@link LostRace}.
 */
export async function runPostgresBatch(pool: Pool, ops: readonly BatchOp[]): Promise<Settled[]> {
  const c = await pool.connect();
  try {
    const { outcomes, writes } = applyBatch(ops, await readBatch(c, ops));
    await roundTrip(c, [...writeStatements(writes), "COMMIT"]);
    return outcomes;
  } catch (err) {
    await c.query("ROLLBACK").catch(() => {});
    throw (err as { code?: unknown } | undefined)?.code === UNIQUE_VIOLATION ? new LostRace() : err;
  } finally {
    c.release();
  }
}

/** Appends events whose idempotency key is new, with their rollups, in one transaction; returns how many. */
export async function ingestPostgresEvents(pool: Pool, events: UsageEvent[]): Promise<number> {
  return inTransaction(pool, async (c) => {
    const added = new Set(
      (await rows(c, INGEST_EVENTS, columnArrays(events.map(params.event), EVENT_COLUMNS.length))).map(
        (r) => r.idempotency_key as string,
      ),
    );
    const sums = createRollupSums();
    const seen = new Set<string>();
    for (const e of events)
      if (added.has(e.idempotencyKey) && !seen.has(e.idempotencyKey)) {
        seen.add(e.idempotencyKey);
        sums.add(e);
      }
    if (sums.size > 0) await rows(c, INGEST_ROLLUPS, columnArrays(sums.params(), ROLLUP_COLUMNS.length));
    return added.size;
  });
}
