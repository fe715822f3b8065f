/**
 * `@budget/server`: the HTTP API (`createBudgetApp`), its composition on Node (`startServer`),
 * API keys, SSE events, webhooks, metrics and configuration.
 */
export * from "./app/create-app.js";
export * from "./app/deps.js";
export * from "./app/problem.js";
export * from "./app/route-table.js";
export * from "./auth/api-keys.js";
export * from "./auth/auth.js";
export * from "./auth/store-key-store.js";
export * from "./catalog/live-catalog.js";
export * from "./config/config-schema.js";
export * from "./config/load-config.js";
export * from "./events/event-hub.js";
export * from "./export/usage-export.js";
export * from "./gateway/index.js";
export * from "./metrics/metrics.js";
export * from "./node/listen.js";
export * from "./start-server.js";
export * from "./webhooks/index.js";
