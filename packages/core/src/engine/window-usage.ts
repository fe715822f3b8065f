import type { Amounts, CounterState } from "../ports/store.js";
import { addAmounts, zeroAmounts } from "../store/amounts.js";
import {
  boundsAt,
  type CompiledBudget,
  type CompiledLimit,
  rollingWindowAt,
  windowSumRef,
} from "./compiled-budget.js";

/** The counters to read for a limit's current usage: its counter, or a rolling window's buckets and running sum. */
export function usageKeysAt(b: CompiledBudget, l: CompiledLimit, partition: string, at: number): string[] {
  if (l.limit.window.type !== "rolling")
    return [`${b.budget.id}|${l.limit.id}|${partition}|${boundsAt(b, l, at).start}`];
  return [...rollingWindowAt(b, l, partition, at).bucketKeys, windowSumRef(b, l, partition).key];
}

/**
 * A limit's current usage from its counters `keys` (those of {@link usageKeysAt}): a rolling window's `used`
 * summed over its buckets (exact whenever it is read) and its `reserved` from its running sum,
 * where its holds are.
 */
export function usageAt(
  b: CompiledBudget,
  l: CompiledLimit,
  partition: string,
  keys: readonly string[],
  states: ReadonlyMap<string, CounterState>,
): { used: Amounts; reserved: Amounts } {
  let used = zeroAmounts();
  let reserved = zeroAmounts();
  const sumKey = l.limit.window.type === "rolling" ? windowSumRef(b, l, partition).key : null;
  for (const k of keys) {
    const c = states.get(k);
    if (!c) continue;
    if (k !== sumKey) used = addAmounts(used, c.used);
    reserved = addAmounts(reserved, c.reserved);
  }
  return { used, reserved };
}
