/**
 * `@budget/client`: the HTTP SDK. {@link createBudgetApi} has one method per route of a Budget
 * server (answers in wire form); {@link createBudgetClient} implements the same `BudgetClient`
 * interface as the in-process engine on it. The wire mapping is core's (`@budget/core`), shared
 * with the server.
 */
export { MAX_BATCH_OPERATIONS } from "@budget/core";
export {
  type ApiKeyInfo,
  type BudgetApi,
  type BudgetStatusPageWire,
  createBudgetApi,
  type Page,
  type PendingFilter,
  type RepriceInput,
  type StatusSummaryWire,
} from "./api.js";
export type { BatchOperation, BatchResult } from "./batch.js";
export { type BudgetClientOptions, createBudgetClient, type RemoteBudgetClient } from "./create-client.js";
export { type FollowEventsOptions, followEvents, type LiveState } from "./events.js";
export { allItems, orNotFound, toArray } from "./http.js";
