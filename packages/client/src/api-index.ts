/**
 * `@budget/client/api`: the route-per-method API ({@link createBudgetApi}) and live events without
 * the `BudgetClient` layer, so a browser bundle carries no schema library: what it imports of
 * `@budget/core` is `@budget/core/basics` and types.
 */
export {
  type ApiKeyInfo,
  type BudgetApi,
  type BudgetStatusPageWire,
  createBudgetApi,
  type Page,
  type PendingFilter,
  type StatusSummaryWire,
} from "./api.js";
export { type FollowEventsOptions, followEvents, type LiveState } from "./events.js";
export { type Query, withQuery } from "./http.js";
