import type { EngineEvent } from "@budget/core";
import { Counter, Histogram, Registry } from "prom-client";

/** Prometheus metrics of one app, in its own registry (never the global one). */
export interface Metrics {
  readonly registry: Registry;
  observeRequest(method: string, route: string, status: number, durationMs: number): void;
  /** Counts reservations, spend and events from the engine's event stream. */
  observeEngineEvent(event: EngineEvent): void;
  /** The exposition text for `/metrics`. */
  render(): Promise<string>;
}

/** Creates the metrics: requests, latency, reservation decisions, spend and events. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  const requests = new Counter({
    name: "budget_http_requests_total",
    help: "HTTP requests by method, route template and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: "budget_http_request_duration_seconds",
    help: "HTTP request latency by method and route template",
    labelNames: ["method", "route"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [registry],
  });
  const reservations = new Counter({
    name: "budget_reservations_total",
    help: "Reservation decisions",
    labelNames: ["decision"] as const,
    registers: [registry],
  });
  const spend = new Counter({
    name: "budget_spend_usd_total",
    help: "Spend recorded in the ledger, USD (for dashboards; the ledger holds the exact amounts)",
    labelNames: ["provider"] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: "budget_tokens_total",
    help: "Usage events' input and output tokens",
    labelNames: ["provider"] as const,
    registers: [registry],
  });
  const events = new Counter({
    name: "budget_engine_events_total",
    help: "Engine events by type",
    labelNames: ["type"] as const,
    registers: [registry],
  });

  return {
    registry,
    observeRequest(method, route, status, durationMs) {
      requests.inc({ method: method.toUpperCase(), route, status: String(status) });
      latency.observe({ method: method.toUpperCase(), route }, durationMs / 1000);
    },
    observeEngineEvent(event) {
      events.inc({ type: event.type });
      if (event.type === "reservation") reservations.inc({ decision: event.result.status });
      if (event.type === "usage") {
        const provider = event.event.dimensions.provider ?? "unknown";
        spend.inc({ provider }, Number(event.event.costNanoUsd) / 1e9);
        tokens.inc({ provider }, event.event.usage.inputTokens + event.event.usage.outputTokens);
      }
    },
    render: () => registry.metrics(),
  };
}
