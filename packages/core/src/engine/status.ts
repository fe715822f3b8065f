import { isClosedAt } from "../budget/budget.js";
import type { CounterState } from "../ports/store.js";
import { addAmounts, zeroAmounts } from "../store/amounts.js";
import { createBudgetIndex } from "./budget-index.js";
import {
  type CompiledBudget,
  type CompiledLimit,
  capOf,
  compileBudget,
  counterRefAt,
  windowKeysAt,
} from "./compiled-budget.js";
import type { EngineContext } from "./context.js";
import { remainingOf, resetsAtOf } from "./denial.js";
import type { LimitStatus, StatusQuery } from "./requests.js";
import { utilizationOf } from "./thresholds.js";

/** The partitions of a limit seen in its current window (one, `""`, for a budget without `each`). */
function partitionsNow(b: CompiledBudget, l: CompiledLimit, counters: CounterState[], at: number): string[] {
  if (b.eachDimensions.length === 0) return [""];
  const seen = new Set<string>();
  for (const c of counters) {
    if (c.limitId !== l.limit.id) continue;
    if (windowKeysAt(b, l, c.partition, at).includes(c.key)) seen.add(c.partition);
  }
  return [...seen].sort();
}

/** The budgets a status shows: one by id (closed or not), else the open ones, or all with `includeClosed`. */
async function budgetsFor(ctx: EngineContext, query: StatusQuery, at: number): Promise<CompiledBudget[]> {
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

/**
 * Used, reserved and remaining of every limit's current window, per partition. Closed budgets
 * show only when named or with `includeClosed`.
 */
export async function status(ctx: EngineContext, query: StatusQuery): Promise<LimitStatus[]> {
  const at = ctx.clock.now();
  const budgets = await budgetsFor(ctx, query, at);
  const out: LimitStatus[] = [];
  for (const b of budgets) {
    const counters = b.eachDimensions.length > 0 ? await ctx.store.listCounters(b.budget.id) : [];
    for (const l of b.limits) {
      for (const partition of partitionsNow(b, l, counters, at)) {
        if (query.partition !== undefined && partition !== query.partition) continue;
        const states = await ctx.store.getCounters(windowKeysAt(b, l, partition, at));
        const used = states.reduce((s, c) => addAmounts(s, c.used), zeroAmounts());
        const reserved = states.reduce((s, c) => addAmounts(s, c.reserved), zeroAmounts());
        const cap = capOf(l, false);
        const ref = counterRefAt(b, l, partition, at);
        out.push({
          budgetId: b.budget.id,
          budgetName: b.budget.name ?? b.budget.id,
          limitId: l.limit.id,
          partition,
          window: l.limit.window,
          enforcement: l.limit.enforcement,
          windowStart: ref.windowStart,
          resetsAt: resetsAtOf(b, l, at),
          limit: cap,
          used,
          reserved,
          remaining: remainingOf(cap, addAmounts(used, reserved)),
          utilization: utilizationOf(cap, used),
        });
      }
    }
  }
  return out;
}
