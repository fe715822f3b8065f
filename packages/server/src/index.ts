/**
 * `@budget/server`: the HTTP API (`createBudgetApp`), its composition on Node (`startServer`),
 * API keys, SSE events, webhooks, metrics and configuration.
 */
export { type BudgetApp, type BudgetAppOptions, createBudgetApp } from "./app/create-app.js";
export type { PriceUpdaterPort, RouteDeps } from "./app/deps.js";
export {
  errorToProblem,
  type InputIssue,
  invalidInputProblem,
  problemResponse,
  STATUS_BY_CODE,
  zodProblem,
} from "./app/problem.js";
export {
  type BodyCheck,
  defineRoute,
  type MountOptions,
  mountRoutes,
  type RouteDef,
  type RouteInput,
} from "./app/route-table.js";
export { ensureAssistantBudget } from "./assistant/assistant-budget.js";
export {
  type Assistant,
  type AssistantAnswer,
  type AssistantOptions,
  type Citation,
  createAssistant,
} from "./assistant/create-assistant.js";
export { startAssistant } from "./assistant/start-assistant.js";
export {
  type Auth,
  assertKeyDimensions,
  assertMayManageBudget,
  assertScope,
  createAuth,
  roleAllows,
} from "./auth/auth.js";
export { createLiveCatalog, type LiveCatalog } from "./catalog/live-catalog.js";
export {
  ASSISTANT_BUDGET_ID,
  ASSISTANT_COMPONENT,
  type AssistantConfig,
  assistantConfigSchema,
} from "./config/assistant-config.js";
export {
  fallbackRates,
  type ServerConfig,
  type ServerConfigInput,
  serverConfigSchema,
  type WebhookConfig,
  webhookSchema,
} from "./config/config-schema.js";
export { ENV_OVERRIDES, loadConfig, parseConfig } from "./config/load-config.js";
export { createEventHub, type EventHub, engineEventToWire, type HubEvent } from "./events/event-hub.js";
export { exportUsage } from "./export/usage-export.js";
export {
  defaultGatewayConfig,
  GATEWAY_APIS,
  type GatewayApi,
  type GatewayConfig,
  type GatewayMetrics,
  type GatewayOptions,
  gatewayConfigSchema,
  mountGateway,
  type UpstreamConfig,
  upstreamSchema,
} from "./gateway/index.js";
export { createMetrics, type Metrics } from "./metrics/metrics.js";
export { type Listening, listen } from "./node/listen.js";
export { createLogger, type RunningServer, type StartServerOptions, startServer } from "./start-server.js";
export {
  ALERT_KINDS,
  type AttemptResult,
  alertToWebhookEvent,
  type BackoffOptions,
  classifyStatus,
  connectEngineToWebhooks,
  createWebhookDispatcher,
  createWebhookLane,
  createWebhookMetrics,
  type DeliveryJob,
  type DeliveryOutcome,
  ENGINE_EVENT_TYPES,
  engineEventToWebhookEvent,
  engineEventType,
  filterMatches,
  type LaneContext,
  parseRetryAfterMs,
  type ResolvedWebhook,
  retryDelayMs,
  signWebhookBody,
  tapStoredAlerts,
  verifyWebhookSignature,
  WEBHOOK_EVENT_FILTERS,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
  type WebhookEvent,
  type WebhookLane,
  type WebhookLogger,
} from "./webhooks/index.js";
