/**
 * `@budget/client`: the HTTP SDK. {@link createBudgetClient} implements the same `BudgetClient`
 * interface as the in-process engine; the wire mapping is shared with the server.
 */
export * from "./create-client.js";
export * from "./csv.js";
export * from "./http.js";
export * from "./wire.js";
