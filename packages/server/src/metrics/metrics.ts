import type { Amounts, CounterDrift, EngineEvent, SliceStatus } from "@budget/core";
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** Prometheus metrics of one app, in its own registry (never the global one). */
export interface Metrics {
  readonly registry: Registry;
  observeRequest(method: string, route: string, status: number, durationMs: number): void;
  /** Counts reservations, spend and events from the engine's event stream. */
  observeEngineEvent(event: EngineEvent): void;
  /** Sets the drift gauges from a reconcile: counted − ledger per limit (0 when nothing drifted). */
  observeReconcile(result: { drift: CounterDrift[] }): void;
  /** Reads the store's slices (ADR 0010) at every scrape: granted, held and unsettled per limit. */
  watchSlices(read: () => Promise<SliceStatus[]>): void;
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

  const drifted = new Gauge({
    name: "budget_counters_drifted",
    help: "Counters whose used differed from the ledger at the last reconcile (0: counters equal the ledger)",
    registers: [registry],
  });
  const drift = new Gauge({
    name: "budget_counter_drift",
    help: "Counted minus ledger at the last reconcile, per limit and amount (cost in USD); absent or 0 when exact",
    labelNames: ["budget", "limit", "amount"] as const,
    registers: [registry],
  });
  let readSlices: (() => Promise<SliceStatus[]>) | null = null;
  const sliceGauge = (name: string, help: string, pick: (s: SliceStatus) => Amounts) =>
    new Gauge({
      name,
      help,
      labelNames: ["budget", "limit", "amount"] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const s of (await readSlices?.()) ?? [])
          for (const [amount, v] of amountEntries(pick(s)))
            this.inc({ budget: s.counter.budgetId, limit: s.counter.limitId, amount }, v);
      },
    });
  sliceGauge(
    "budget_slice_unsettled",
    "Used on instances' slices, counted in the limit's totals but not yet settled into its shared counter",
    (s) => s.unsettled,
  );
  sliceGauge(
    "budget_slice_granted",
    "Granted to instances' slices (held in the shared counter)",
    (s) => s.granted,
  );
  sliceGauge("budget_slice_held", "Reserved by active reservations admitted on slices", (s) => s.held);

  return {
    registry,
    observeReconcile(result) {
      drift.reset();
      drifted.set(result.drift.length);
      for (const d of result.drift) {
        const delta: Amounts = {
          tokens: d.stored.tokens - d.ledger.tokens,
          costNanoUsd: d.stored.costNanoUsd - d.ledger.costNanoUsd,
          requests: d.stored.requests - d.ledger.requests,
        };
        for (const [amount, v] of amountEntries(delta))
          drift.inc({ budget: d.budgetId, limit: d.limitId, amount }, v);
      }
    },
    watchSlices(read) {
      readSlices = read;
    },
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

/** An amount's parts as metric values: tokens, cost in USD (for dashboards), requests. */
function amountEntries(a: Amounts): [string, number][] {
  return [
    ["tokens", a.tokens],
    ["cost_usd", Number(a.costNanoUsd) / 1e9],
    ["requests", a.requests],
  ];
}
