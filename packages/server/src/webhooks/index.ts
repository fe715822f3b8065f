/** Webhook delivery: alerts and engine events POSTed, signed, to subscribers. */
export { connectEngineToWebhooks, tapStoredAlerts } from "./alert-sources.js";
export {
  type AttemptResult,
  type BackoffOptions,
  classifyStatus,
  parseRetryAfterMs,
  retryDelayMs,
} from "./retry-policy.js";
export {
  createWebhookDispatcher,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
} from "./webhook-dispatcher.js";
export {
  alertToWebhookEvent,
  engineEventToWebhookEvent,
  engineEventType,
  filterMatches,
  type WebhookEvent,
} from "./webhook-event.js";
export { ALERT_KINDS, ENGINE_EVENT_TYPES, WEBHOOK_EVENT_FILTERS } from "./webhook-event-types.js";
export {
  createWebhookLane,
  type DeliveryJob,
  type DeliveryOutcome,
  type LaneContext,
  type ResolvedWebhook,
  type WebhookLane,
  type WebhookLogger,
} from "./webhook-lane.js";
export { createWebhookMetrics } from "./webhook-metrics.js";
export { signWebhookBody, verifyWebhookSignature } from "./webhook-signature.js";
