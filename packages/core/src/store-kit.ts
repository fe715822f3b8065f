/**
 * `@budget/core/store-kit`: the pieces Budget's own stores (`@budget/store`) are built from — the
 * atomic batch planner, counter rows, amount arithmetic and zoned-time helpers. Not the public API:
 * it may change in any release (CONTRIBUTING.md, "Internal subpaths").
 */
export type {
  BudgetChanges,
  CounterHold,
  CounterIncrement,
  CounterRef,
  CounterState,
  StoreCommitResult,
  StoreReserveResult,
} from "./ports/store.js";
export { addAmounts, holdFits, subtractAmounts, zeroAmounts } from "./store/amounts.js";
export {
  applyBatch,
  type BatchState,
  type BatchWrites,
  batchCounters,
  batchLookups,
  copyReservation,
  windowRefreshKeys,
} from "./store/atomic-plan.js";
export { USAGE_FIELDS } from "./usage/usage.js";
export { isTimeZone } from "./validation/common-schemas.js";
export { zonedParts, zonedToUtc } from "./window/zoned-time.js";
