/**
 * `@budget/calls`: one provider call under a budget — the hold (reserve before, then commit the
 * reported usage or release, exactly once) and the denial it throws. The request estimate is
 * `@budget/calls/estimate` (it loads the tokenizer), a stream's usage `@budget/calls/stream-usage`.
 */
export { BudgetExceededError, isBudgetExceededError } from "./hold/budget-exceeded-error.js";
export { type CallHold, ESTIMATED_TAG, holdForCall, type ReportedUsage } from "./hold/call-hold.js";
export type { CallInfo, HoldOptions } from "./hold/hold-options.js";
