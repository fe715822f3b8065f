/**
 * `@budget/client`: the HTTP SDK. {@link createBudgetClient} implements the same `BudgetClient`
 * interface as the in-process engine; the wire mapping is core's (`@budget/core`), shared with the
 * server.
 */
export { MAX_BATCH_OPERATIONS } from "@budget/core";
export { type BatchOperation, type BatchResult, batchOperations } from "./batch.js";
export { type BudgetClientOptions, createBudgetClient, type RemoteBudgetClient } from "./create-client.js";
export { createHttp, type Http, type HttpOptions, problemToError } from "./http.js";
