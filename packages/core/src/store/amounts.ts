import type { Amounts, CounterHold } from "../ports/store.js";

/** Zero tokens, cost and requests. */
export function zeroAmounts(): Amounts {
  return { tokens: 0, costNanoUsd: 0n, requests: 0 };
}

/** `a + b`, field by field. */
export function addAmounts(a: Amounts, b: Amounts): Amounts {
  return {
    tokens: a.tokens + b.tokens,
    costNanoUsd: a.costNanoUsd + b.costNanoUsd,
    requests: a.requests + b.requests,
  };
}

/** `a - b`, field by field. */
export function subtractAmounts(a: Amounts, b: Amounts): Amounts {
  return {
    tokens: a.tokens - b.tokens,
    costNanoUsd: a.costNanoUsd - b.costNanoUsd,
    requests: a.requests - b.requests,
  };
}

/**
 * Whether a hold fits its cap: `current` is used + reserved summed over the cap's keys.
 * The one place every store decides "within the limit" — stores only supply `current`.
 */
export function holdFits(hold: CounterHold, current: Amounts): boolean {
  const cap = hold.cap;
  if (!cap) return true;
  if (
    cap.tokens !== undefined &&
    hold.amounts.tokens > 0 &&
    current.tokens + hold.amounts.tokens > cap.tokens
  )
    return false;
  if (
    cap.costNanoUsd !== undefined &&
    hold.amounts.costNanoUsd > 0n &&
    current.costNanoUsd + hold.amounts.costNanoUsd > cap.costNanoUsd
  )
    return false;
  if (
    cap.requests !== undefined &&
    hold.amounts.requests > 0 &&
    current.requests + hold.amounts.requests > cap.requests
  )
    return false;
  return true;
}
