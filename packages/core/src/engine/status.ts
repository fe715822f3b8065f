import type { CounterState } from "../ports/store.js";
import { addAmounts, zeroAmounts } from "../store/amounts.js";
import {
  type CompiledBudget,
  type CompiledLimit,
  capOf,
  counterRefAt,
  windowKeysAt,
} from "./compiled-budget.js";
import type { EngineContext } from "./context.js";
import { remainingOf, resetsAtOf } from "./denial.js";
import type { LimitStatus } from "./requests.js";
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

/** Used, reserved and remaining of every limit's current window, per partition. */
export async function status(
  ctx: EngineContext,
  query: { budgetId?: string; partition?: string },
): Promise<LimitStatus[]> {
  const at = ctx.clock.now();
  const index = await ctx.budgets();
  const one = query.budgetId === undefined ? undefined : index.get(query.budgetId);
  const budgets = query.budgetId === undefined ? index.all() : one ? [one] : [];
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
