import type { Amounts, CounterHold, CounterState } from "../ports/store.js";
import { rollingBucketMs } from "../window/window-bounds.js";
import type { CompiledBudget, CompiledLimit } from "./compiled-budget.js";
import { resetsAtOf } from "./denial.js";

type Cap = NonNullable<CounterHold["cap"]>;
const AMOUNTS = ["tokens", "costNanoUsd", "requests"] as const;

/** How much of each capped amount must leave the window before `requested` fits (null: it never fits). */
function excessOf(
  cap: Cap,
  current: Amounts,
  requested: Amounts,
): Partial<Record<keyof Amounts, bigint>> | null {
  const excess: Partial<Record<keyof Amounts, bigint>> = {};
  for (const a of AMOUNTS) {
    const limit = cap[a];
    if (limit === undefined || BigInt(requested[a]) === 0n) continue;
    if (BigInt(requested[a]) > BigInt(limit)) return null;
    const over = BigInt(current[a]) + BigInt(requested[a]) - BigInt(limit);
    if (over > 0n) excess[a] = over;
  }
  return excess;
}

/**
 * When a denied request would fit, in ms from `at`: a calendar window's reset; for a rolling
 * window, when enough of its oldest buckets (`buckets`, the counters of the cap's keys) have left
 * it. Null when waiting cannot help: a lifetime window, or a request larger than the limit.
 */
export function retryAfterMsOf(input: {
  b: CompiledBudget;
  l: CompiledLimit;
  cap: Cap;
  current: Amounts;
  requested: Amounts;
  buckets: readonly CounterState[];
  at: number;
}): number | null {
  const { b, l, cap, current, requested, at } = input;
  const excess = excessOf(cap, current, requested);
  if (excess === null) return null;
  const w = l.limit.window;
  if (w.type !== "rolling") {
    const resetsAt = resetsAtOf(b, l, at);
    return resetsAt === null ? null : Math.max(1, resetsAt - at);
  }
  const size = rollingBucketMs(w.minutes);
  const freed = { tokens: 0n, costNanoUsd: 0n, requests: 0n };
  const oldestFirst = [...input.buckets].sort((x, y) => x.windowStart - y.windowStart);
  for (const c of oldestFirst) {
    for (const a of AMOUNTS) freed[a] += BigInt(c.used[a]) + BigInt(c.reserved[a]);
    if (AMOUNTS.every((a) => (excess[a] ?? 0n) <= freed[a])) {
      const leavesAt = Math.floor(c.windowStart / size) * size + size + w.minutes * 60_000;
      return Math.max(1, leavesAt - at);
    }
  }
  // Usage counted in `current` but settled before the buckets were read: a whole window frees it all.
  return w.minutes * 60_000 + size;
}
