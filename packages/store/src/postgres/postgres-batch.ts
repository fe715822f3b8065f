import { BudgetError, type CounterState, type Reservation, type UsageEvent } from "@budget/core";
import type { Pool, PoolClient, QueryResultRow } from "pg";
import type { BatchOp } from "../shared/batch-op.js";
import { applyBatch, batchCounters, batchLookups } from "../shared/batch-plan.js";
import type { Settled } from "../shared/group-commit.js";
import { params } from "../shared/params.js";
import { createRollupSums } from "../shared/rollup-sums.js";
import { counterFromRow, eventFromRow, reservationFromRow } from "../shared/rows.js";
import {
  COUNTER_REF_COLUMNS,
  COUNTER_STATE_COLUMNS,
  columnArrays,
  EVENT_COLUMNS,
  INGEST_EVENTS,
  INGEST_ROLLUPS,
  READS,
  RESERVATION_COLUMNS,
  ROLLUP_COLUMNS,
  WRITE_BATCH,
} from "./postgres-batch-sql.js";
import { isRetryable } from "./postgres-errors.js";

/**
 * Another instance stored a batch's idempotency key after the batch read it: the batch runs again
 * (and then sees the key). Still failing after the retries, it is a `conflict` (e.g. a reused id).
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

async function mapOf<T>(
  c: PoolClient,
  q: Query,
  keys: string[],
  keyOf: (row: QueryResultRow) => string,
  from: (row: QueryResultRow) => T,
): Promise<Map<string, T>> {
  if (keys.length === 0) return new Map();
  return new Map((await rows(c, q, [keys])).map((r) => [keyOf(r), from(r)]));
}

/**
 * Locks every counter of the batch in key order (`SELECT … FOR UPDATE ORDER BY key`), creating
 * the missing ones first, so that concurrent batches — of this instance or others — queue in one
 * order instead of deadlocking.
 */
async function lockCounters(c: PoolClient, ops: readonly BatchOp[], byId: Map<string, Reservation>) {
  const { refs, keys } = batchCounters(ops, byId);
  const lock = () => mapOf(c, READS.lockCounters, keys, (r) => r.key as string, counterFromRow);
  let counters = await lock();
  const missing = refs.filter((r) => !counters.has(r.key));
  if (missing.length > 0) {
    const refRows = missing.map((r) => [
      r.key,
      r.budgetId,
      r.limitId,
      r.partition,
      r.windowStart,
      r.windowEnd,
    ]);
    await rows(c, READS.createCounters, columnArrays(refRows, COUNTER_REF_COLUMNS.length));
    counters = await lock();
  }
  return counters;
}

/**
 * A group-commit batch on PostgreSQL in one transaction: lock the reservations it settles (by id)
 * and its counters (by key), read its idempotency keys, apply the ops in memory (`applyBatch`),
 * then write everything in one statement. About six round trips per batch, whatever its size.
 */
export async function runPostgresBatch(pool: Pool, ops: readonly BatchOp[]): Promise<Settled[]> {
  return inTransaction(pool, async (c) => {
    const need = batchLookups(ops);
    const byId = await mapOf(
      c,
      READS.lockReservations,
      need.reservationIds,
      (r) => r.id as string,
      reservationFromRow,
    );
    const byKey = await mapOf(
      c,
      READS.reservationsByKey,
      need.reservationKeys,
      (r) => r.idempotency_key as string,
      reservationFromRow,
    );
    const events = await mapOf(
      c,
      READS.eventsByKey,
      need.eventKeys,
      (r) => r.idempotency_key as string,
      eventFromRow,
    );
    const counters = await lockCounters(c, ops, byId);
    const { outcomes, writes } = applyBatch(ops, {
      reservationsById: byId,
      reservationsByKey: byKey,
      eventsByKey: events,
      counters,
    });
    const counterRows = writes.counters.map((s: CounterState) => [
      s.key,
      s.used.tokens,
      s.used.costNanoUsd,
      s.used.requests,
      s.reserved.tokens,
      s.reserved.costNanoUsd,
      s.reserved.requests,
    ]);
    const [done] = await rows(c, WRITE_BATCH, [
      ...columnArrays(writes.reservations.map(params.reservation), RESERVATION_COLUMNS.length),
      ...columnArrays(
        writes.statuses.map((s) => [s.id, s.status]),
        2,
      ),
      ...columnArrays(writes.events.map(params.event), EVENT_COLUMNS.length),
      ...columnArrays(writes.rollups.params(), ROLLUP_COLUMNS.length),
      ...columnArrays(counterRows, COUNTER_STATE_COLUMNS.length),
    ]);
    if (done?.reservations !== writes.reservations.length || done?.events !== writes.events.length)
      throw new LostRace();
    return outcomes;
  });
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
