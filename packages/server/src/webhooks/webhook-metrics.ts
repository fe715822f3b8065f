import { Counter, type Registry } from "prom-client";
import type { DeliveryOutcome } from "./webhook-lane.js";

/**
 * Registers `budget_webhook_deliveries_total{webhook,outcome}` in the app's registry and returns
 * the dispatcher's `onOutcome` callback that counts into it.
 */
export function createWebhookMetrics(
  registry: Registry,
): (webhook: string, outcome: DeliveryOutcome) => void {
  const deliveries = new Counter({
    name: "budget_webhook_deliveries_total",
    help: "Webhook deliveries by webhook and outcome (delivered, rejected, failed, dropped, aborted)",
    labelNames: ["webhook", "outcome"] as const,
    registers: [registry],
  });
  return (webhook, outcome) => deliveries.inc({ webhook, outcome });
}
