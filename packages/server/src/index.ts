/**
 * `@budget/server`: the HTTP API (`createBudgetApp`), its composition on Node (`startServer`),
 * API keys, SSE events, webhooks, metrics and configuration.
 */
export { createBudgetApp } from "./app/create-app.js";
export { defineRoute } from "./app/route-table.js";
export type { Assistant, AssistantAnswer } from "./assistant/create-assistant.js";
export { startAssistant } from "./assistant/start-assistant.js";
export { createAuth } from "./auth/auth.js";
export { assistantConfigSchema } from "./config/assistant-config.js";
export { type ServerConfig, type ServerConfigInput, serverConfigSchema } from "./config/config-schema.js";
export { parseConfig } from "./config/load-config.js";
export { type GatewayConfig, gatewayConfigSchema } from "./gateway/gateway-config.js";
export type { Metrics } from "./metrics/metrics.js";
export { listen } from "./node/listen.js";
export { type RunningServer, type StartServerOptions, startServer } from "./start-server.js";
export { verifyWebhookSignature } from "./webhooks/index.js";
