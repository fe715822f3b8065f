import type { Alert, BudgetEngine, Store } from "@budget/core";
import type { WebhookDispatcher } from "./webhook-dispatcher.js";
import { engineEventToWebhookEvent, engineEventType } from "./webhook-event.js";

/**
 * Sends the engine's events (threshold alerts, and usage, reservations, … when a webhook asks for
 * them) to the dispatcher; returns the unsubscribe.
 */
export function connectEngineToWebhooks(
  engine: Pick<BudgetEngine, "subscribe" | "clock">,
  dispatcher: WebhookDispatcher,
): () => void {
  return engine.subscribe((event) => {
    // Checked first so the hot path (usage, reservations) builds nothing when nobody listens.
    if (dispatcher.accepts(engineEventType(event))) {
      dispatcher.enqueue(engineEventToWebhookEvent(event, engine.clock.now()));
    }
  });
}

/**
 * The store, with `insertAlert` reporting each alert it actually stored (the store dedupes them, so
 * a crossing seen by several replicas is reported by exactly one). Give it to writers that store
 * alerts outside the engine, such as the price updater (price changes, conflicts, source failures).
 */
export function tapStoredAlerts(store: Store, onAlert: (alert: Alert) => void): Store {
  const insertAlert = async (alert: Alert): Promise<boolean> => {
    const stored = await store.insertAlert(alert);
    if (stored) onAlert(alert);
    return stored;
  };
  // A proxy rather than a spread: SQL stores are class instances whose methods live on the prototype.
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === "insertAlert") return insertAlert;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
