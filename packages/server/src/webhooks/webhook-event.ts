import { randomUUID } from "node:crypto";
import type { Alert, EngineEvent } from "@budget/core";
import { engineEventToWire } from "../events/event-hub.js";

/** One event as a webhook receives it (the JSON body). */
export interface WebhookEvent {
  /** Stable id of the event (an alert's id, a usage event's id). */
  id: string;
  /** `alert.threshold`, `alert.price_change`, …, `usage`, `reservation`, `release`, `budget`. */
  type: string;
  /** Epoch milliseconds. */
  time: number;
  /** The event in wire form: money as USD decimal strings. */
  data: unknown;
}

/** The webhook event type of an engine event, computed without building its wire form. */
export function engineEventType(event: EngineEvent): string {
  return event.type === "alert" ? `alert.${event.alert.type}` : event.type;
}

/** An alert (threshold, denial, price change or conflict, source failure) as a webhook event. */
export function alertToWebhookEvent(alert: Alert): WebhookEvent {
  // Alerts are wire-shaped already (their money fields are USD strings), as `GET /v1/alerts` sends them.
  return { id: alert.id, type: `alert.${alert.type}`, time: alert.time, data: alert };
}

/** An engine event as a webhook event, in the same wire form as the SSE stream. */
export function engineEventToWebhookEvent(event: EngineEvent, now: number): WebhookEvent {
  if (event.type === "alert") return alertToWebhookEvent(event.alert);
  const id = event.type === "usage" ? event.event.id : `evt_${randomUUID()}`;
  const time = event.type === "usage" ? event.event.time : now;
  return { id, type: event.type, time, data: engineEventToWire(event).data };
}

/** Whether an `events` filter (see {@link WEBHOOK_EVENT_FILTERS}) selects an event type. */
export function filterMatches(filter: readonly string[], type: string): boolean {
  return filter.some((f) => f === "*" || f === type || type.startsWith(`${f}.`) || type === `alert.${f}`);
}
