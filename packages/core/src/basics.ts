/**
 * `@budget/core/basics`: the zod-free values a command line needs before it runs anything —
 * dimension and enforcement names, exact money parsing and formatting, error recognition, time
 * zones and token totals. Importing it loads no schema library, so `budget --help` starts fast.
 */
export { DIMENSIONS, type Dimension } from "./budget/dimension-names.js";
export { ENFORCEMENTS, type Enforcement, isClosedAt } from "./budget/enforcement.js";
export { displayCount, displayRelative, displayTime, displayUsd } from "./display/display.js";
export { BudgetError, type BudgetErrorCode, isBudgetError } from "./errors/budget-error.js";
export { parseDecimal } from "./money/decimal.js";
export { formatUsd, type NanoUsd, usdToNano } from "./money/nano-usd.js";
export { totalTokens } from "./usage/token-totals.js";
export { isTimeZone } from "./validation/time-zone.js";
export { zonedParts, zonedToUtc } from "./window/zoned-time.js";
