import {
  type BudgetEngine,
  compileBudget,
  type Dimensions,
  type LimitAmounts,
  type LimitStatus,
  partitionOf,
} from "@budget/core";

/** What is left for a call: the least remaining of each amount over its budgets, and the soonest reset. */
export interface Remaining {
  remaining: LimitAmounts | null;
  resetsAt: number | null;
}

function minOf<T extends number | bigint>(a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return b < a ? b : a;
}

/** The least remaining over `rows` (each field independently) and the soonest reset among them. */
export function tightest(rows: readonly LimitStatus[]): Remaining {
  if (rows.length === 0) return { remaining: null, resetsAt: null };
  let tokens: number | undefined;
  let cost: bigint | undefined;
  let requests: number | undefined;
  let resetsAt: number | null = null;
  for (const r of rows) {
    tokens = minOf(tokens, r.remaining.tokens);
    cost = minOf(cost, r.remaining.costNanoUsd);
    requests = minOf(requests, r.remaining.requests);
    if (r.resetsAt !== null) resetsAt = resetsAt === null ? r.resetsAt : Math.min(resetsAt, r.resetsAt);
  }
  const remaining: LimitAmounts = {};
  if (tokens !== undefined) remaining.tokens = tokens;
  if (cost !== undefined) remaining.costNanoUsd = cost;
  if (requests !== undefined) remaining.requests = requests;
  return { remaining, resetsAt };
}

/** How long one budget's status is reused for the headers of other calls (a hint, not an accounting). */
export const REMAINING_CACHE_MS = 200;

/**
 * What is left under the budgets a reservation holds (`budgetIds`), for a call with `dims`: each
 * budget's current window, in the call's own partition for an `each` budget. A budget's status is
 * reused for {@link REMAINING_CACHE_MS}, so the headers cost no store read on most calls of a busy
 * gateway; they may lag the counters by that much.
 */
export function createRemainingLookup(engine: BudgetEngine, now: () => number = Date.now) {
  const cache = new Map<string, { at: number; rows: Promise<LimitStatus[]> }>();
  const statusOf = (budgetId: string): Promise<LimitStatus[]> => {
    const t = now();
    const hit = cache.get(budgetId);
    if (hit && t - hit.at < REMAINING_CACHE_MS) return hit.rows;
    if (cache.size > 1000) cache.clear();
    const rows = engine.status({ budgetId });
    cache.set(budgetId, { at: t, rows });
    rows.catch(() => cache.delete(budgetId));
    return rows;
  };
  // Only `each` budgets need their definition: their partition comes from the call's dimensions.
  const partitionFor = async (budgetId: string, dims: Dimensions): Promise<string | null> => {
    const budget = await engine.getBudget(budgetId);
    return budget ? partitionOf(compileBudget(budget), dims) : null;
  };
  // The last answer per set of budgets, reused while their cached rows are the same arrays: a busy
  // gateway computes (and formats) what is left once per cache period, not once per call.
  const last = new Map<string, { parts: LimitStatus[][]; out: Remaining }>();
  return async (budgetIds: readonly string[], dims: Dimensions): Promise<Remaining> => {
    const parts = await Promise.all(
      budgetIds.map(async (budgetId) => {
        const all = await statusOf(budgetId);
        if (all.every((r) => r.partition === "")) return all;
        const partition = await partitionFor(budgetId, dims);
        return all.filter((r) => r.partition === partition);
      }),
    );
    const key = budgetIds.join("\0");
    const hit = last.get(key);
    if (hit && hit.parts.length === parts.length && hit.parts.every((p, i) => p === parts[i])) return hit.out;
    const out = tightest(parts.flat());
    if (last.size > 1000) last.clear();
    last.set(key, { parts, out });
    return out;
  };
}
