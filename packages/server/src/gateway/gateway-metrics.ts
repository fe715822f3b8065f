import { Counter, Histogram, type Registry } from "prom-client";

/** How a gateway call ended, for the request counter. */
export type GatewayOutcome =
  | "ok"
  | "upstream_error"
  | "upstream_unavailable"
  | "denied"
  | "invalid"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "budget_unavailable";

/** Prometheus metrics of the gateway, per upstream. */
export interface GatewayMetrics {
  request(upstream: string, operation: string, outcome: GatewayOutcome): void;
  /** Time until the upstream's response headers. */
  upstreamLatency(upstream: string, ms: number): void;
  /** A settled call: its tokens and cost (nano-USD), and whether its usage was estimated. */
  settled(
    upstream: string,
    usage: { inputTokens: number; outputTokens: number },
    costNanoUsd: bigint,
    estimated: boolean,
  ): void;
  /** A commit or release that failed after the call (the store was unavailable, say). */
  settleFailed(upstream: string): void;
}

/** Creates the gateway metrics in `registry` (the app's, served at `/metrics`). */
export function createGatewayMetrics(registry: Registry): GatewayMetrics {
  const registers = [registry];
  const requests = new Counter({
    name: "budget_gateway_requests_total",
    help: "Gateway calls by upstream, operation and outcome",
    labelNames: ["upstream", "operation", "outcome"] as const,
    registers,
  });
  const latency = new Histogram({
    name: "budget_gateway_upstream_duration_seconds",
    help: "Time until the upstream's response headers, by upstream",
    labelNames: ["upstream"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const tokens = new Counter({
    name: "budget_gateway_tokens_total",
    help: "Tokens settled through the gateway, by upstream and direction (input side, output)",
    labelNames: ["upstream", "direction"] as const,
    registers,
  });
  const spend = new Counter({
    name: "budget_gateway_spend_usd_total",
    help: "Spend settled through the gateway, USD, by upstream (the ledger holds the exact amounts)",
    labelNames: ["upstream"] as const,
    registers,
  });
  const estimated = new Counter({
    name: "budget_gateway_estimated_total",
    help: "Gateway calls committed from an estimate (no usage reported: aborted, broken or usage-less streams)",
    labelNames: ["upstream"] as const,
    registers,
  });
  const settleFailures = new Counter({
    name: "budget_gateway_settle_failures_total",
    help: "Commits or releases that failed after a gateway call, by upstream",
    labelNames: ["upstream"] as const,
    registers,
  });
  return {
    request: (upstream, operation, outcome) => requests.inc({ upstream, operation, outcome }),
    upstreamLatency: (upstream, ms) => latency.observe({ upstream }, ms / 1000),
    settled(upstream, usage, costNanoUsd, wasEstimated) {
      tokens.inc({ upstream, direction: "input" }, usage.inputTokens);
      tokens.inc({ upstream, direction: "output" }, usage.outputTokens);
      spend.inc({ upstream }, Number(costNanoUsd) / 1e9);
      if (wasEstimated) estimated.inc({ upstream });
    },
    settleFailed: (upstream) => settleFailures.inc({ upstream }),
  };
}
