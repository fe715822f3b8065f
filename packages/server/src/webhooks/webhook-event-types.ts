import type { Alert } from "@budget/core";

/** The kinds of alert, each delivered as `alert.<kind>`. */
export const ALERT_KINDS = [
  "threshold",
  "denial",
  "price_change",
  "price_conflict",
  "source_failure",
] as const satisfies readonly Alert["type"][];

/** Non-alert engine events a webhook may subscribe to. */
export const ENGINE_EVENT_TYPES = ["usage", "reservation", "release", "budget"] as const;

/**
 * What a webhook's `events` filter may name: `*` (everything), `alert` (every alert), an alert kind
 * (`threshold`, or `alert.threshold`), or an engine event type (`usage`, `reservation`, …).
 */
export const WEBHOOK_EVENT_FILTERS = [
  "*",
  "alert",
  ...ALERT_KINDS,
  ...ALERT_KINDS.map((k) => `alert.${k}` as const),
  ...ENGINE_EVENT_TYPES,
] as const;
