/**
 * The CLI's names for core's one display rule (`@budget/core/display`): exact money, grouped
 * counts, local minutes, durations from now; and the exact USD decimal for scripts.
 */
export {
  displayCount as formatCount,
  displayRelative as formatRelative,
  displayTime as formatLocalTime,
  displayUsd as formatMoney,
  formatUsd as formatUsdExact,
} from "@budget/core/basics";
