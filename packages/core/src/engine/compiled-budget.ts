import type { Budget, Limit } from "../budget/budget.js";
import { DIMENSIONS, type Dimension, type Dimensions } from "../budget/dimensions.js";
import { type NanoUsd, usdToNano } from "../money/nano-usd.js";
import type { CounterRef, WindowSum } from "../ports/store.js";
import { applyReset, naturalBounds, rollingBucketMs, type WindowBounds } from "../window/window-bounds.js";

/** A limit with its amounts parsed once (money as nano-USD). */
export interface CompiledLimit {
  limit: Limit;
  tokens: number | undefined;
  costNanoUsd: NanoUsd | undefined;
  requests: number | undefined;
  /** Reservations in flight at once (per partition). */
  concurrency: number | undefined;
  /** The alert thresholds, ascending. */
  thresholds: readonly number[];
  /**
   * What a limit allows: to callers below `high` (all but its `priorityShare`), as written, and
   * with its overdraft for `critical` callers (see {@link holdCapOf}).
   */
  caps: { shared: Readonly<LimitCap>; normal: Readonly<LimitCap>; critical: Readonly<LimitCap> };
  /** Concurrency slots: for callers below `high`, and for all. */
  slots: { shared: number | undefined; full: number | undefined };
  /** The last period computed: time-zone math is costly and most calls fall in the same one. */
  lastBounds: WindowBounds | null;
  /** A rolling window's buckets per partition, while they stay the same (see {@link rollingWindowAt}). */
  windows: Map<string, { from: number; until: number; resetAt: number | null; sum: WindowSum }>;
  /** Its window and time zone, naming the periods it shares with other limits (set on first use). */
  boundsKey: string | null;
}

/** A budget ready for the hot path: its limits compiled, its `each` dimensions listed. */
export interface CompiledBudget {
  budget: Budget;
  limits: CompiledLimit[];
  eachDimensions: Dimension[];
  /** Per partition with an override: its limits (same order as `limits`), the overridden ones recompiled. */
  overrides: Map<string, CompiledLimit[]> | null;
}

/** Parts per million of a limit kept for high and critical callers (`priorityShare`). */
const shareKeptPpm = (limit: Limit) => Math.round((limit.priorityShare ?? 0) * 1_000_000);

/** A limit's amounts parsed once, with its caps for every priority. */
export function compileLimit(limit: Limit): CompiledLimit {
  const amounts = {
    tokens: limit.tokens,
    costNanoUsd: limit.cost === undefined ? undefined : usdToNano(limit.cost),
    requests: limit.requests,
  };
  const overdraft = {
    tokens: limit.overdraft?.tokens ?? 0,
    costNanoUsd: limit.overdraft?.cost === undefined ? 0n : usdToNano(limit.overdraft.cost),
    requests: limit.overdraft?.requests ?? 0,
  };
  const normal = capWith(amounts, null);
  const kept = shareKeptPpm(limit);
  return {
    limit,
    ...amounts,
    concurrency: limit.concurrency,
    thresholds: [...limit.thresholds].sort((x, y) => x - y),
    caps: {
      shared: kept === 0 ? normal : shareOf(normal, kept),
      normal,
      critical: capWith(amounts, overdraft),
    },
    slots: {
      shared:
        limit.concurrency === undefined
          ? undefined
          : Math.floor((limit.concurrency * (1_000_000 - kept)) / 1_000_000),
      full: limit.concurrency,
    },
    lastBounds: null,
    windows: new Map(),
    boundsKey: null,
  };
}

/** What callers below `high` may use of `cap`: all but `keptPpm` parts per million, rounded down. */
function shareOf(cap: LimitCap, keptPpm: number): LimitCap {
  const left = 1_000_000 - keptPpm;
  const out: LimitCap = {};
  if (cap.tokens !== undefined) out.tokens = Math.floor((cap.tokens * left) / 1_000_000);
  if (cap.costNanoUsd !== undefined) out.costNanoUsd = (cap.costNanoUsd * BigInt(left)) / 1_000_000n;
  if (cap.requests !== undefined) out.requests = Math.floor((cap.requests * left) / 1_000_000);
  return out;
}

/** A reservation's priority. */
export type Priority = "low" | "normal" | "high" | "critical";

/** The cap a hold of `priority` must respect: the shared part, all of it (`high`), or with the overdraft (`critical`). */
export function holdCapOf(l: CompiledLimit, priority: Priority): Readonly<LimitCap> {
  return priority === "critical" ? l.caps.critical : priority === "high" ? l.caps.normal : l.caps.shared;
}

/** The concurrency slots a reservation of `priority` may take (undefined: no concurrency limit). */
export function slotsOf(l: CompiledLimit, priority: Priority): number | undefined {
  return priority === "high" || priority === "critical" ? l.slots.full : l.slots.shared;
}

/** Parses a budget's limits once so reserve and commit never re-parse decimals. */
export function compileBudget(budget: Budget): CompiledBudget {
  const eachDimensions = DIMENSIONS.filter((d) => {
    const v = budget.scope[d];
    return typeof v === "object" && v.each;
  });
  const limits = budget.limits.map(compileLimit);
  let overrides: Map<string, CompiledLimit[]> | null = null;
  for (const o of budget.overrides ?? []) {
    overrides ??= new Map();
    const partition = eachDimensions.map((d) => `${d}=${encodeURIComponent(o.match[d] ?? "")}`).join(",");
    const own = limits.map((l) => {
      const amounts = o.limits[l.limit.id];
      return amounts ? compileLimit({ ...l.limit, ...amounts }) : l;
    });
    overrides.set(partition, own);
  }
  return { budget, limits, eachDimensions, overrides };
}

/**
 * Whether usage with `dims` falls in the budget's scope: every set value must be equal, every
 * `each` dimension present, every scope tag present. Disabled budgets match nothing.
 */
export function budgetMatches(b: CompiledBudget, dims: Dimensions): boolean {
  if (!b.budget.enabled) return false;
  const scope = b.budget.scope;
  for (const d of DIMENSIONS) {
    const want = scope[d];
    if (want === undefined) continue;
    const have = dims[d];
    if (have === undefined) return false;
    if (typeof want === "string" && want !== have) return false;
  }
  return (scope.tags ?? []).every((t) => dims.tags?.includes(t));
}

/** The limits of one partition: its override's, else the budget's. */
export function limitsOf(b: CompiledBudget, partition: string): CompiledLimit[] {
  return b.overrides?.get(partition) ?? b.limits;
}

/** The partition of an `each` budget: `worker=w1,task=t7` (empty for a budget without `each`). */
export function partitionOf(b: CompiledBudget, dims: Dimensions): string {
  return b.eachDimensions.map((d) => `${d}=${encodeURIComponent(dims[d] ?? "")}`).join(",");
}

/** The counter a usage at `at` moves for one limit. */
export function counterRefAt(b: CompiledBudget, l: CompiledLimit, partition: string, at: number): CounterRef {
  const { start, end } = boundsAt(b, l, at);
  return {
    key: `${b.budget.id}|${l.limit.id}|${partition}|${start}`,
    budgetId: b.budget.id,
    limitId: l.limit.id,
    partition,
    windowStart: start,
    windowEnd: end,
  };
}

/**
 * The counter of a concurrency limit: its `reserved.requests` is the reservations in flight. Only
 * holds touch it (nothing adds to its `used`), so commit, release and expiry each free a slot.
 */
export function inFlightRef(b: CompiledBudget, l: CompiledLimit, partition: string): CounterRef {
  return {
    key: `${b.budget.id}|${l.limit.id}|${partition}|inflight`,
    budgetId: b.budget.id,
    limitId: l.limit.id,
    partition,
    windowStart: 0,
    windowEnd: null,
  };
}

const contains = (p: WindowBounds | null | undefined, at: number): p is WindowBounds =>
  p != null && at >= p.start && (p.end === null || at < p.end);

/** The last period of each window and time zone: thousands of budgets share a few windows. */
const sharedBounds = new Map<string, WindowBounds>();
const MAX_SHARED_BOUNDS = 10_000;

/** The limit's period containing `at` (after any reset), cached per compiled limit and shared. */
export function boundsAt(b: CompiledBudget, l: CompiledLimit, at: number): WindowBounds {
  if (!contains(l.lastBounds, at)) {
    l.boundsKey ??= `${b.budget.timezone}|${JSON.stringify(l.limit.window)}`;
    let shared = sharedBounds.get(l.boundsKey);
    if (!contains(shared, at)) {
      shared = Object.freeze(naturalBounds(l.limit.window, at, b.budget.timezone));
      if (sharedBounds.size >= MAX_SHARED_BOUNDS) sharedBounds.clear();
      sharedBounds.set(l.boundsKey, shared);
    }
    l.lastBounds = shared;
  }
  return applyReset(l.lastBounds, at, b.budget.resetAt);
}

/** Most partitions whose rolling window a limit keeps computed. */
const MAX_CACHED_WINDOWS = 1000;

/**
 * A rolling limit's window at `at`: its oldest bucket's start (`since`) and every bucket's key,
 * oldest first. The same until a bucket starts or leaves, so it is computed once per bucket and
 * partition, not per call.
 */
export function rollingWindowAt(
  b: CompiledBudget,
  l: CompiledLimit,
  partition: string,
  at: number,
): WindowSum {
  const w = l.limit.window;
  if (w.type !== "rolling") throw new Error(`limit ${l.limit.id} is not rolling`);
  const resetAt = b.budget.resetAt;
  const hit = l.windows.get(partition);
  if (hit && hit.resetAt === resetAt && at >= hit.from && at < hit.until) return hit.sum;
  const size = rollingBucketMs(w.minutes);
  const span = w.minutes * 60_000;
  const first = Math.floor((at - span) / size) * size;
  const reset = resetAt ?? Number.NEGATIVE_INFINITY;
  const bucketKeys: string[] = [];
  // The oldest bucket may reach past the window: counting it whole errs on the safe side.
  for (let t = first; t <= at; t += size) {
    if (t + size <= reset) continue;
    bucketKeys.push(`${b.budget.id}|${l.limit.id}|${partition}|${Math.max(t, Math.min(reset, at))}`);
  }
  const since = Math.max(first, Math.min(reset, at));
  // The keys change when the oldest bucket leaves or a new one starts (or, before a reset, at every ms).
  const newest = Math.floor(at / size) * size;
  const sum: WindowSum = { since, newest: Math.max(newest, Math.min(reset, at)), bucketKeys };
  const until = resetAt !== null && resetAt > at ? at + 1 : Math.min(first + span + size, newest + size);
  if (l.windows.size >= MAX_CACHED_WINDOWS) l.windows.clear();
  l.windows.set(partition, { from: Math.max(first + span, newest), until, resetAt, sum });
  return sum;
}

/**
 * The running sum of a rolling limit's window (see `WindowSum`): its holds and the usage of its
 * buckets from `windowStart` on. Its key names the window's length and the budget's last reset,
 * so neither a changed window nor a reset inherits the holds of another.
 */
export function windowSumRef(b: CompiledBudget, l: CompiledLimit, partition: string): CounterRef {
  const w = l.limit.window;
  const minutes = w.type === "rolling" ? w.minutes : 0;
  return {
    key: `${b.budget.id}|${l.limit.id}|${partition}${WINDOW_SUM_MARK}${minutes}m@${b.budget.resetAt ?? 0}`,
    budgetId: b.budget.id,
    limitId: l.limit.id,
    partition,
    windowStart: Number.MIN_SAFE_INTEGER,
    windowEnd: null,
  };
}

/** What sets a window sum's key apart from its buckets' (`|sum:1440m@0`). */
export const WINDOW_SUM_MARK = "|sum:";

/** The amounts a limit allows, padded with its overdraft for critical requests (computed once per limit). */
export function capOf(l: CompiledLimit, withOverdraft: boolean): Readonly<LimitCap> {
  return withOverdraft ? l.caps.critical : l.caps.normal;
}

/** What a limit allows: an absent amount is unlimited. */
export interface LimitCap {
  tokens?: number;
  costNanoUsd?: NanoUsd;
  requests?: number;
}

function capWith(
  limit: { tokens: number | undefined; costNanoUsd: NanoUsd | undefined; requests: number | undefined },
  pad: { tokens: number; costNanoUsd: NanoUsd; requests: number } | null,
): LimitCap {
  const cap: LimitCap = {};
  if (limit.tokens !== undefined) cap.tokens = limit.tokens + (pad ? pad.tokens : 0);
  if (limit.costNanoUsd !== undefined) cap.costNanoUsd = limit.costNanoUsd + (pad ? pad.costNanoUsd : 0n);
  if (limit.requests !== undefined) cap.requests = limit.requests + (pad ? pad.requests : 0);
  return cap;
}
