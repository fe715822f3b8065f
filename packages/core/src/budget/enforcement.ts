/** How a limit acts when a request would pass it, from no effect to a refusal. */
export const ENFORCEMENTS = ["ignore", "warn", "soft_limit", "hard_limit"] as const;

/** One of {@link ENFORCEMENTS}. */
export type Enforcement = (typeof ENFORCEMENTS)[number];

/** Whether the budget is closed at `at` (its `activeUntil` has passed). */
export function isClosedAt(budget: { activeUntil?: number | undefined }, at: number): boolean {
  return budget.activeUntil !== undefined && at >= budget.activeUntil;
}
