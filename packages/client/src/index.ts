/**
 * `@budget/client`: the HTTP SDK. {@link createBudgetClient} implements the same `BudgetClient`
 * interface as the in-process engine; the wire mapping is shared with the server.
 */
export { type BatchOperation, type BatchResult, batchOperations, MAX_BATCH_OPERATIONS } from "./batch.js";
export { type BudgetClientOptions, createBudgetClient, type RemoteBudgetClient } from "./create-client.js";
export { USAGE_CSV_COLUMNS, usageEventToCsv } from "./csv.js";
export { createHttp, type Http, type HttpOptions, type Problem, problemToError } from "./http.js";
export {
  type AmountsWire,
  amountsFromWire,
  amountsToWire,
  type CommitResultWire,
  commitResultFromWire,
  commitResultToWire,
  type DenialWire,
  type LimitAmountsWire,
  type LimitStatusWire,
  limitAmountsFromWire,
  limitAmountsToWire,
  limitStatusFromWire,
  limitStatusToWire,
  type PricedWire,
  pricedFromWire,
  pricedToWire,
  type ReconcileWire,
  type ReportRowWire,
  type ReservationWire,
  type ReserveResultWire,
  reconcileToWire,
  reportRowFromWire,
  reportRowToWire,
  reservationFromWire,
  reservationToWire,
  reserveResultFromWire,
  reserveResultToWire,
  type UsageEventWire,
  usageEventFromWire,
  usageEventToWire,
} from "./wire.js";
