import type { Amounts } from "@budget/core";
import {
  addAmounts,
  type CounterHold,
  type CounterRef,
  subtractAmounts,
  zeroAmounts,
} from "@budget/core/store-kit";
import type { Pool, PoolClient } from "pg";
import { type SliceRow, sliceRowFromRow } from "../shared/slice-rows.js";
import { isRetryable } from "./postgres-errors.js";

/** What a take asks for: the hold at hand, how much it wants, and at most which share of the remainder. */
export interface TakeRequest {
  hold: CounterHold;
  sliceKey: string;
  owner: string;
  /** Wanted per amount (only the amounts the hold's cap limits count); zero: return the slice. */
  want: Amounts;
  /** Fraction of the remainder a take may have, as parts per million. */
  sharePpm: number;
  ttlMs: number;
  now: number;
}

/** The slice after a take: its grant and expiry, and the shared row's used as then settled. */
export interface TakenSlice {
  /** Whether anything was added to the grant (else the reservation goes direct). */
  added: boolean;
  grant: Amounts;
  expiresAt: number;
  sharedUsed: Amounts;
}

const REF_COLS = "key, budget_id, limit_id, partition, window_start, window_end";
const SQL = {
  ensureShared: `INSERT INTO counters (${REF_COLS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
  ensureSlice: `INSERT INTO counters (${REF_COLS}, slice_of, slice_owner)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
  lock: "SELECT * FROM counters WHERE key = ANY($1::text[]) ORDER BY key FOR UPDATE",
  /** Slices of the counter whose TTL passed and that still hold or count something; a live owner's are skipped. */
  expired: `SELECT * FROM counters WHERE slice_of = $1 AND key <> $2 AND slice_expires_at < $3
    AND (grant_tokens > 0 OR grant_cost_nano > 0 OR grant_requests > 0
      OR used_tokens > 0 OR used_cost_nano > 0 OR used_requests > 0)
    ORDER BY key FOR UPDATE SKIP LOCKED`,
  /** Shared counters with a slice whose TTL passed that still holds or counts something. */
  expiredParents: `SELECT DISTINCT slice_of FROM counters WHERE slice_of IS NOT NULL AND slice_expires_at < $1
    AND (grant_tokens > 0 OR grant_cost_nano > 0 OR grant_requests > 0
      OR used_tokens > 0 OR used_cost_nano > 0 OR used_requests > 0) LIMIT 100`,
  write: `UPDATE counters SET used_tokens = $2, used_cost_nano = $3, used_requests = $4,
    reserved_tokens = $5, reserved_cost_nano = $6, reserved_requests = $7,
    grant_tokens = $8, grant_cost_nano = $9, grant_requests = $10, slice_expires_at = $11 WHERE key = $1`,
};

const minAmounts = (a: Amounts, b: Amounts): Amounts => ({
  tokens: Math.min(a.tokens, b.tokens),
  // biome-ignore lint/complexity/useMathMinMax: bigint (Math.min takes numbers only)
  costNanoUsd: a.costNanoUsd < b.costNanoUsd ? a.costNanoUsd : b.costNanoUsd,
  requests: Math.min(a.requests, b.requests),
});

/**
 * Settles slice `s` into its shared row `p`: its used moves over, its grant shrinks to what its
 * active holds reserve (they are still given back on the slice row).
 */
export function settleInto(p: SliceRow, s: SliceRow): void {
  p.state.used = addAmounts(p.state.used, s.state.used);
  s.state.used = zeroAmounts();
  const kept = minAmounts(s.grant, s.state.reserved);
  p.state.reserved = addAmounts(subtractAmounts(p.state.reserved, s.grant), kept);
  s.grant = kept;
}

/**
 * How much to add to a slice: for each amount the cap limits, `want` but at most the share of
 * what remains; nothing unless it covers the hold at hand (then the reservation goes direct).
 */
export function takeSize(
  cap: NonNullable<CounterHold["cap"]>,
  current: Amounts,
  req: Pick<TakeRequest, "hold" | "want" | "sharePpm">,
): Amounts {
  const take = zeroAmounts();
  const need = req.hold.amounts;
  if (cap.tokens !== undefined) {
    const share = Math.floor(((cap.tokens - current.tokens) * req.sharePpm) / 1_000_000);
    take.tokens = Math.max(0, Math.min(req.want.tokens, share));
    if (take.tokens < need.tokens) return zeroAmounts();
  }
  if (cap.costNanoUsd !== undefined) {
    const room = cap.costNanoUsd - current.costNanoUsd;
    const share = (room * BigInt(req.sharePpm)) / 1_000_000n;
    const t = req.want.costNanoUsd < share ? req.want.costNanoUsd : share;
    take.costNanoUsd = t > 0n ? t : 0n;
    if (take.costNanoUsd < need.costNanoUsd) return zeroAmounts();
  }
  if (cap.requests !== undefined) {
    const share = Math.floor(((cap.requests - current.requests) * req.sharePpm) / 1_000_000);
    take.requests = Math.max(0, Math.min(req.want.requests, share));
    if (take.requests < need.requests) return zeroAmounts();
  }
  return take;
}

const writeValues = (r: SliceRow) => [
  r.state.key,
  r.state.used.tokens,
  r.state.used.costNanoUsd.toString(),
  r.state.used.requests,
  r.state.reserved.tokens,
  r.state.reserved.costNanoUsd.toString(),
  r.state.reserved.requests,
  r.grant.tokens,
  r.grant.costNanoUsd.toString(),
  r.grant.requests,
  r.expiresAt,
];

const refValues = (r: CounterRef, key: string) => [
  key,
  r.budgetId,
  r.limitId,
  r.partition,
  r.windowStart,
  r.windowEnd,
];

/**
 * One take, in one transaction: locks the shared row (and any other row its cap sums) and the
 * instance's slice row in key order, settles that slice and every expired slice of the counter,
 * then adds {@link takeSize} to the grant — moved into the shared row's reserved — with a new
 * expiry, never past the counter's window. `want` of zero returns the slice (settles it only).
 */
async function takeOnce(c: PoolClient, req: TakeRequest): Promise<TakenSlice> {
  const ref = req.hold.counter;
  await c.query("BEGIN");
  await c.query(SQL.ensureShared, refValues(ref, ref.key));
  await c.query(SQL.ensureSlice, [...refValues(ref, req.sliceKey), ref.key, req.owner]);
  const keys = [...new Set([ref.key, req.sliceKey, ...(req.hold.cap?.sumKeys ?? [])])].sort();
  const locked = new Map(
    (await c.query(SQL.lock, [keys])).rows.map((row) => {
      const r = sliceRowFromRow(row);
      return [r.state.key, r] as const;
    }),
  );
  const shared = locked.get(ref.key)!;
  const own = locked.get(req.sliceKey)!;
  const expired = (await c.query(SQL.expired, [ref.key, req.sliceKey, req.now])).rows.map(sliceRowFromRow);
  for (const s of [own, ...expired]) settleInto(shared, s);
  let current = zeroAmounts();
  for (const k of req.hold.cap?.sumKeys ?? [ref.key]) {
    const r = locked.get(k);
    if (r) current = addAmounts(current, addAmounts(r.state.used, r.state.reserved));
  }
  const take = req.hold.cap ? takeSize(req.hold.cap, current, req) : zeroAmounts();
  own.grant = addAmounts(own.grant, take);
  shared.state.reserved = addAmounts(shared.state.reserved, take);
  own.expiresAt = Math.min(req.now + req.ttlMs, ref.windowEnd ?? Number.MAX_SAFE_INTEGER);
  for (const r of [shared, own, ...expired]) await c.query(SQL.write, writeValues(r));
  await c.query("COMMIT");
  const added = take.tokens > 0 || take.costNanoUsd > 0n || take.requests > 0;
  return { added, grant: own.grant, expiresAt: own.expiresAt, sharedUsed: shared.state.used };
}

/** {@link takeOnce}, run again after a deadlock or serialization failure. */
export async function takeSlice(pool: Pool, req: TakeRequest): Promise<TakenSlice> {
  for (let attempt = 1; ; attempt++) {
    const c = await pool.connect();
    try {
      return await takeOnce(c, req);
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      if (!isRetryable(err) || attempt >= 8) throw err;
    } finally {
      c.release();
    }
    await new Promise((r) => setTimeout(r, Math.random() * 5 * 2 ** attempt));
  }
}

/**
 * Settles every slice whose TTL passed into its shared counter (its owner is gone, or stopped
 * renewing it), so an expired slice's grant never keeps blocking instances that take none
 * themselves. Run with the reservation expiry sweep; a live owner's rows are skipped, not waited for.
 */
export async function reclaimExpiredSlices(pool: Pool, now: number): Promise<number> {
  const parents = (await pool.query(SQL.expiredParents, [now])).rows.map((r) => r.slice_of as string);
  let settled = 0;
  for (const parent of parents) {
    const c = await pool.connect();
    try {
      await c.query("BEGIN");
      const [row] = (await c.query(SQL.lock, [[parent]])).rows;
      const expired = (await c.query(SQL.expired, [parent, "", now])).rows.map(sliceRowFromRow);
      if (row) {
        const shared = sliceRowFromRow(row);
        for (const s of expired) settleInto(shared, s);
        for (const r of [shared, ...expired]) await c.query(SQL.write, writeValues(r));
        settled += expired.length;
      }
      await c.query("COMMIT");
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      if (!isRetryable(err)) throw err;
    } finally {
      c.release();
    }
  }
  return settled;
}
