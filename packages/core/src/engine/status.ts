import { isClosedAt } from "../budget/budget.js";
import type { CounterState } from "../ports/store.js";
import { addAmounts } from "../store/amounts.js";
import { createBudgetIndex } from "./budget-index.js";
import {
  type CompiledBudget,
  type CompiledLimit,
  capOf,
  compileBudget,
  counterRefAt,
  inFlightRef,
  limitsOf,
} from "./compiled-budget.js";
import type { EngineContext } from "./context.js";
import { remainingOf, resetsAtOf } from "./denial.js";
import type { LimitStatus, StatusQuery, StatusSummary, StatusSummaryQuery } from "./requests.js";
import { utilizationOf } from "./thresholds.js";
import { usageAt, usageKeysAt } from "./window-usage.js";

/** The partitions of a limit seen in its current window (one, `""`, for a budget without `each`). */
function partitionsNow(b: CompiledBudget, l: CompiledLimit, counters: CounterState[], at: number): string[] {
  if (b.eachDimensions.length === 0) return [""];
  const seen = new Set<string>();
  for (const c of counters) {
    if (c.limitId !== l.limit.id) continue;
    if (usageKeysAt(b, l, c.partition, at).includes(c.key)) seen.add(c.partition);
  }
  return [...seen].sort();
}

/** The budgets a status shows: one by id (closed or not), else the open ones, or all with `includeClosed`. */
export async function budgetsFor(
  ctx: EngineContext,
  query: StatusQuery,
  at: number,
): Promise<CompiledBudget[]> {
  const index = await ctx.budgets();
  if (query.budgetId !== undefined) {
    const held = index.get(query.budgetId);
    if (held) return [held];
    const stored = await ctx.store.getBudget(query.budgetId);
    return stored ? [compileBudget(stored)] : [];
  }
  if (query.includeClosed) return createBudgetIndex(await ctx.store.listBudgets()).all();
  return index.all().filter((b) => !isClosedAt(b.budget, at));
}

/** Counter keys read per store call: one round trip per thousand limits, not one per limit. */
const KEYS_PER_READ = 1000;

async function countersOf(ctx: EngineContext, keys: string[]): Promise<Map<string, CounterState>> {
  const byKey = new Map<string, CounterState>();
  for (let i = 0; i < keys.length; i += KEYS_PER_READ)
    for (const c of await ctx.store.getCounters(keys.slice(i, i + KEYS_PER_READ))) byKey.set(c.key, c);
  return byKey;
}

/** One status row to compute: a limit of a budget in one partition, and the counter keys it sums. */
export interface RowPlan {
  b: CompiledBudget;
  l: CompiledLimit;
  partition: string;
  keys: string[];
}

/** The rows `budgets` show at `at` (only `partition`'s when given), in budget order. */
export async function plansOf(
  ctx: EngineContext,
  budgets: CompiledBudget[],
  partition: string | undefined,
  at: number,
): Promise<RowPlan[]> {
  const plans: RowPlan[] = [];
  for (const b of budgets) {
    const counters = b.eachDimensions.length > 0 ? await ctx.store.listCounters(b.budget.id) : [];
    for (const [i, base] of b.limits.entries())
      for (const p of partitionsNow(b, base, counters, at))
        if (partition === undefined || p === partition) {
          const l = limitsOf(b, p)[i]!; // the partition's override, if any
          plans.push({ b, l, partition: p, keys: usageKeysAt(b, l, p, at) });
        }
  }
  return plans;
}

/** The counters the plans sum (and their in-flight counters), read in batches. */
export function countersOfPlans(ctx: EngineContext, plans: RowPlan[]): Promise<Map<string, CounterState>> {
  const keys: string[] = [];
  for (const x of plans) {
    keys.push(...x.keys);
    if (x.l.concurrency !== undefined) keys.push(inFlightRef(x.b, x.l, x.partition).key);
  }
  return countersOf(ctx, keys);
}

/** A plan's used and reserved amounts (see `usageAt`). */
const amountsOfPlan = (plan: RowPlan, states: Map<string, CounterState>) =>
  usageAt(plan.b, plan.l, plan.partition, plan.keys, states);

/** A plan's utilization, as its {@link rowOf} has it, without building the row. */
export function utilizationOfPlan(plan: RowPlan, states: Map<string, CounterState>): number {
  return utilizationOf(capOf(plan.l, false), amountsOfPlan(plan, states).used);
}

/** A plan's status row at `at` from the counters read. */
export function rowOf(plan: RowPlan, states: Map<string, CounterState>, at: number): LimitStatus {
  const { b, l, partition: p } = plan;
  const { used, reserved } = amountsOfPlan(plan, states);
  const cap = capOf(l, false);
  const remaining = remainingOf(cap, addAmounts(used, reserved));
  let inFlight: { inFlight?: number } = {};
  if (l.concurrency !== undefined) {
    const n = states.get(inFlightRef(b, l, p).key)?.reserved.requests ?? 0;
    inFlight = { inFlight: n };
    remaining.concurrency = Math.max(0, l.concurrency - n);
  }
  return {
    ...inFlight,
    budgetId: b.budget.id,
    budgetName: b.budget.name ?? b.budget.id,
    limitId: l.limit.id,
    partition: p,
    window: l.limit.window,
    enforcement: l.limit.enforcement,
    windowStart: counterRefAt(b, l, p, at).windowStart,
    resetsAt: resetsAtOf(b, l, at),
    limit: l.concurrency === undefined ? cap : { ...cap, concurrency: l.concurrency },
    used,
    reserved,
    remaining,
    utilization: utilizationOf(cap, used),
  };
}

/** The status rows of `budgets` at `at`, their counters read in batches. */
export async function rowsOf(
  ctx: EngineContext,
  budgets: CompiledBudget[],
  partition: string | undefined,
  at: number,
): Promise<LimitStatus[]> {
  const plans = await plansOf(ctx, budgets, partition, at);
  const states = await countersOfPlans(ctx, plans);
  return plans.map((x) => rowOf(x, states, at));
}

/** The tie-break of {@link byUtilization}: budget, limit and partition. */
const rowKey = (r: { budgetId: string; limitId: string; partition: string }) =>
  `${r.budgetId}|${r.limitId}|${r.partition}`;

/** Highest utilization first; ties by budget, limit and partition. */
export function byUtilization(a: LimitStatus, b: LimitStatus): number {
  if (a.utilization !== b.utilization) return b.utilization - a.utilization;
  const ka = rowKey(a);
  const kb = rowKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Used, reserved and remaining of every limit's current window, per partition, by budget id (or
 * the closest to their limits first with `order: "utilization"`), at most `limit` rows. Closed
 * budgets show only when named or with `includeClosed`.
 */
export async function status(ctx: EngineContext, query: StatusQuery): Promise<LimitStatus[]> {
  const at = ctx.clock.now();
  const rows = await rowsOf(ctx, await budgetsFor(ctx, query, at), query.partition, at);
  if (query.order === "utilization") rows.sort(byUtilization);
  return query.limit === undefined ? rows : rows.slice(0, query.limit);
}

/**
 * A summary of the open budgets (closed ones too with `includeClosed`): how many limits are over,
 * near (≥ 80 %) or within their limit, how many budgets are disabled, and the `top` limits closest
 * to their limits.
 */
export async function statusSummary(ctx: EngineContext, query: StatusSummaryQuery): Promise<StatusSummary> {
  const at = ctx.clock.now();
  const budgets = await budgetsFor(ctx, query.includeClosed ? { includeClosed: true } : {}, at);
  const plans = await plansOf(ctx, budgets, undefined, at);
  const states = await countersOfPlans(ctx, plans);
  const utilizations = plans.map((x) => utilizationOfPlan(x, states));
  // Rows only for the top: the others need no more than their utilization, sorted as byUtilization sorts.
  const ranked = plans.map((x, i) => ({
    x,
    u: utilizations[i]!,
    key: rowKey({ budgetId: x.b.budget.id, limitId: x.l.limit.id, partition: x.partition }),
  }));
  ranked.sort((a, b) => (a.u !== b.u ? b.u - a.u : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    counts: countsOf(budgets, utilizations, at),
    top: ranked.slice(0, query.top ?? 10).map((r) => rowOf(r.x, states, at)),
  };
}

/** Budgets (disabled, closed) and limit rows by state (over, near ≥ 80 %, within), from the rows' utilizations. */
export function countsOf(
  budgets: CompiledBudget[],
  utilizations: readonly number[],
  at: number,
): StatusSummary["counts"] {
  const counts = {
    budgets: budgets.length,
    disabled: 0,
    closed: 0,
    limits: utilizations.length,
    over: 0,
    near: 0,
    within: 0,
  };
  for (const b of budgets) {
    if (!b.budget.enabled) counts.disabled += 1;
    if (isClosedAt(b.budget, at)) counts.closed += 1;
  }
  for (const u of utilizations) {
    if (u >= 1) counts.over += 1;
    else if (u >= 0.8) counts.near += 1;
    else counts.within += 1;
  }
  return counts;
}
