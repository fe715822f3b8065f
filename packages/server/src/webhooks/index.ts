/** Webhook delivery: alerts and engine events POSTed, signed, to subscribers. */
export * from "./alert-sources.js";
export * from "./retry-policy.js";
export * from "./webhook-dispatcher.js";
export * from "./webhook-event.js";
export * from "./webhook-event-types.js";
export * from "./webhook-lane.js";
export * from "./webhook-metrics.js";
export * from "./webhook-signature.js";
