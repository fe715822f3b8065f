import type { Amounts, CounterRef, CounterState } from "../ports/store.js";
import { addAmounts, zeroAmounts } from "../store/amounts.js";
import { createBudgetIndex } from "./budget-index.js";
import { incrementsFor } from "./commit.js";
import { WINDOW_SUM_MARK } from "./compiled-budget.js";
import type { EngineContext } from "./context.js";
import { allEvents } from "./report.js";

/** A counter whose stored `used` differs from the ledger's sum. */
export interface CounterDrift {
  key: string;
  budgetId: string;
  limitId: string;
  stored: Amounts;
  ledger: Amounts;
}

/**
 * Recomputes every counter's `used` from the ledger and reports the drift; with `repair`, writes
 * the ledger's sums back. The ledger is the truth; counters are a cache of it — except for windows
 * that began before the store's retention horizon (`eventsPrunedBefore`): their raw events may be
 * gone, so those counters are left as they are and only counted (`skipped`).
 */
export async function reconcile(ctx: EngineContext, options: { repair?: boolean } = {}) {
  const horizon = (await ctx.store.eventsPrunedBefore()) ?? Number.NEGATIVE_INFINITY;
  const expected = new Map<string, { counter: CounterRef; used: Amounts }>();
  let events = 0;
  let skipped = 0;
  // Every budget, closed ones included: their counters are kept and must equal the ledger too.
  const index = createBudgetIndex(await ctx.store.listBudgets());
  for await (const e of allEvents(ctx.store, {})) {
    events += 1;
    for (const inc of await incrementsFor(ctx, e, index)) {
      if (inc.window || inc.counter.windowStart < horizon) continue; // window sums are checked below
      const cur = expected.get(inc.counter.key) ?? { counter: inc.counter, used: zeroAmounts() };
      cur.used = addAmounts(cur.used, inc.amounts);
      expected.set(inc.counter.key, cur);
    }
  }
  const drift: CounterDrift[] = [];
  const fixes: { counter: CounterRef; used: Amounts }[] = [];
  const same = (a: Amounts, b: Amounts) =>
    a.tokens === b.tokens && a.costNanoUsd === b.costNanoUsd && a.requests === b.requests;
  const counters = await ctx.store.listCounters();
  const sums = windowSumsOf(counters, expected);
  for (const c of counters) {
    const sum = c.windowStart < horizon ? undefined : sums.get(c.key);
    if (sum) {
      if (same(c.used, sum)) continue;
      drift.push({ key: c.key, budgetId: c.budgetId, limitId: c.limitId, stored: c.used, ledger: sum });
      fixes.push({ counter: c, used: sum });
      continue;
    }
    if (c.windowStart < horizon) {
      skipped += 1;
      continue;
    }
    const want = expected.get(c.key)?.used ?? zeroAmounts();
    expected.delete(c.key);
    if (same(c.used, want)) continue;
    drift.push({ key: c.key, budgetId: c.budgetId, limitId: c.limitId, stored: c.used, ledger: want });
    fixes.push({ counter: c, used: want });
  }
  for (const [key, v] of expected) {
    const { budgetId, limitId } = v.counter;
    drift.push({ key, budgetId, limitId, stored: zeroAmounts(), ledger: v.used });
    fixes.push(v);
  }
  if (options.repair && fixes.length > 0) await ctx.store.setCountersUsed(fixes);
  // Counters read with their slices folded in; what the slices still hold or count is named apart.
  const slices = (await ctx.store.sliceStatus?.()) ?? [];
  return { events, drift, skipped, slices };
}

/**
 * What each rolling window's running sum should hold: the ledger's sums of its buckets from its
 * `windowStart` on (the buckets share its key up to the mark).
 */
function windowSumsOf(
  counters: CounterState[],
  expected: Map<string, { counter: CounterRef; used: Amounts }>,
): Map<string, Amounts> {
  const sums = new Map<string, Amounts>();
  for (const c of counters) {
    const mark = c.key.indexOf(WINDOW_SUM_MARK);
    if (mark < 0) continue;
    const prefix = `${c.key.slice(0, mark)}|`;
    let used = zeroAmounts();
    for (const [key, v] of expected)
      if (key.startsWith(prefix) && v.counter.windowStart >= c.windowStart) used = addAmounts(used, v.used);
    sums.set(c.key, used);
  }
  return sums;
}
