import type { BudgetFit } from "../advice/recommend-models.js";
import type { Dimensions } from "../budget/dimensions.js";
import { addAmounts, holdFits } from "../store/amounts.js";
import type { Usage } from "../usage/usage.js";
import { capOf, counterRefAt, partitionOf } from "./compiled-budget.js";
import { amountsOf, type EngineContext, matchingBudgets } from "./context.js";
import { usageAt, usageKeysAt } from "./window-usage.js";

/**
 * Would `usage` costing `costNanoUsd` fit every blocking limit (hard, and soft for normal priority)
 * of the budgets matching `dims` now? A read, not a hold: advice only (a reserve decides for real).
 * Decided with `holdFits`, like every store; the first limit that does not fit is named.
 */
export async function budgetFit(
  ctx: EngineContext,
  dims: Dimensions,
  usage: Usage,
  costNanoUsd: bigint,
): Promise<BudgetFit> {
  const at = ctx.clock.now();
  const amounts = amountsOf(usage, costNanoUsd);
  for (const b of await matchingBudgets(ctx, dims, at)) {
    const partition = partitionOf(b, dims);
    for (const l of b.limits) {
      const e = l.limit.enforcement;
      if (e !== "hard_limit" && e !== "soft_limit") continue;
      const keys = usageKeysAt(b, l, partition, at);
      const states = new Map((await ctx.store.getCounters(keys)).map((c) => [c.key, c]));
      const { used, reserved } = usageAt(b, l, partition, keys, states);
      const current = addAmounts(used, reserved);
      const hold = {
        counter: counterRefAt(b, l, partition, at),
        amounts,
        cap: { sumKeys: [], ...capOf(l, false) },
      };
      if (!holdFits(hold, current)) {
        const message = `budget ${b.budget.id} limit ${l.limit.id} (${e}) has not enough left for this work`;
        return { fits: false, budgetId: b.budget.id, limitId: l.limit.id, message };
      }
    }
  }
  return { fits: true };
}
