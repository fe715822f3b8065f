import type { BudgetEngine, Dimensions } from "@budget/core";
import type { Logger } from "pino";
import type { Auth } from "../auth/auth.js";
import type { GatewayConfig } from "./gateway-config.js";
import type { GatewayMetrics } from "./gateway-metrics.js";
import type { Remaining } from "./remaining.js";
import type { Upstream } from "./upstream.js";

/** What the gateway's handlers use. */
export interface GatewayDeps {
  engine: BudgetEngine;
  auth: Auth;
  config: GatewayConfig;
  upstreams: ReadonlyMap<string, Upstream>;
  metrics: GatewayMetrics;
  logger: Logger;
  bodyLimitBytes: number;
  /** What is left under a reservation's budgets, for the `x-budget-remaining-*` headers. */
  remaining: (budgetIds: readonly string[], dims: Dimensions) => Promise<Remaining>;
}
