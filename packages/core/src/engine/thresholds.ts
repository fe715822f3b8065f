import { formatUsd } from "../money/nano-usd.js";
import type { Alert, CounterState } from "../ports/store.js";
import { capOf, limitsOf, WINDOW_SUM_MARK } from "./compiled-budget.js";
import type { EngineContext } from "./context.js";

/** Used / limit, the highest over the limited amounts. */
export function utilizationOf(
  cap: { tokens?: number; costNanoUsd?: bigint; requests?: number },
  used: { tokens: number; costNanoUsd: bigint; requests: number },
): number {
  let max = 0;
  if (cap.tokens) max = Math.max(max, used.tokens / cap.tokens);
  if (cap.costNanoUsd)
    max = Math.max(max, Number((used.costNanoUsd * 1_000_000n) / cap.costNanoUsd) / 1_000_000);
  if (cap.requests) max = Math.max(max, used.requests / cap.requests);
  return max;
}

/**
 * Raises a threshold alert for each threshold the counters' windows have crossed. The store keeps
 * alerts unique by dedupe key (budget, limit, partition, window, threshold), so each fires once
 * per window, across replicas too.
 */
export async function evaluateThresholds(
  ctx: EngineContext,
  counters: CounterState[],
  at: number,
): Promise<Alert[]> {
  if (counters.length === 0) return [];
  const budgets = await ctx.budgets();
  const raised: Alert[] = [];
  for (const c of counters) {
    const b = budgets.get(c.budgetId);
    const l = b && limitsOf(b, c.partition).find((x) => x.limit.id === c.limitId);
    if (!b || !l || l.limit.enforcement === "ignore" || l.thresholds.length === 0) continue;
    let windowId = String(c.windowStart);
    if (l.limit.window.type === "rolling") {
      // The window's usage is its running sum's (the commit brought it up to date); its buckets add nothing.
      if (!c.key.includes(WINDOW_SUM_MARK)) continue;
      windowId = `r${Math.floor(at / (l.limit.window.minutes * 60_000))}`;
    }
    const used = c.used;
    const cap = capOf(l, false);
    const ratio = utilizationOf(cap, used);
    if (ratio < l.thresholds[0]!) continue;
    for (const t of l.thresholds) {
      if (ratio < t) continue;
      const alert: Alert = {
        id: ctx.ids.next("alr"),
        dedupeKey: `threshold|${c.budgetId}|${c.limitId}|${c.partition}|${windowId}|${t}`,
        type: "threshold",
        severity: t >= 1 ? "critical" : "warning",
        time: at,
        message: `budget "${c.budgetId}" limit "${c.limitId}"${c.partition ? ` (${c.partition})` : ""} reached ${Math.round(
          t * 100,
        )}% (${Math.round(ratio * 1000) / 10}% used)`,
        data: {
          budgetId: c.budgetId,
          limitId: c.limitId,
          partition: c.partition,
          threshold: t,
          utilization: ratio,
          windowStart: c.windowStart,
          usedTokens: used.tokens,
          usedCostUsd: formatUsd(used.costNanoUsd),
          usedRequests: used.requests,
        },
        acknowledgedAt: null,
      };
      if (ctx.seenAlertKeys.has(alert.dedupeKey)) continue;
      if (ctx.seenAlertKeys.size > 100_000) ctx.seenAlertKeys.clear();
      ctx.seenAlertKeys.add(alert.dedupeKey);
      if (await ctx.store.insertAlert(alert)) {
        raised.push(alert);
        ctx.emit({ type: "alert", alert });
      }
    }
  }
  return raised;
}
