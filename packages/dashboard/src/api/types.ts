/**
 * The HTTP API's JSON shapes the dashboard reads (see `@budget/client`'s wire module): money is a
 * USD decimal string, instants are epoch milliseconds.
 */

/** Amounts used or reserved in a window. */
export interface Amounts {
  tokens: number;
  costUsd: string;
  requests: number;
}

/** Caps of a limit; an absent field is unlimited. */
export interface LimitAmounts {
  tokens?: number;
  costUsd?: string;
  requests?: number;
}

/** A calendar, rolling or lifetime window. */
export type Window =
  | { type: "hour" | "day" | "week" | "month" | "quarter" | "year" }
  | { type: "rolling"; minutes: number }
  | { type: "lifetime" };

/** One limit's current window (`GET /v1/status`). */
export interface LimitStatus {
  budgetId: string;
  budgetName: string;
  limitId: string;
  /** `worker=w1,task=t7` for an `each` budget, else "". */
  partition: string;
  window: Window;
  enforcement: string;
  windowStart: number;
  resetsAt: number | null;
  limit: LimitAmounts;
  used: Amounts;
  reserved: Amounts;
  remaining: LimitAmounts;
  utilization: number;
}

/** A stored budget (the fields the dashboard shows). */
export interface Budget {
  id: string;
  name?: string;
  description?: string;
  scope: Record<string, string | { each: true } | string[] | undefined>;
  timezone: string;
  enabled: boolean;
}

/** One row of `GET /v1/reports`. */
export interface ReportRow {
  bucketStart: number | null;
  group: Record<string, string | null>;
  events: number;
  tokens: number;
  costUsd: string;
  requests: number;
}

/** One ledger event (`GET /v1/usage`). */
export interface UsageEvent {
  id: string;
  kind: "usage" | "adjustment";
  time: number;
  dimensions: Record<string, string | string[] | undefined>;
  usage: Record<string, number>;
  costUsd: string;
  priceVersionId: string | null;
  reservationId: string | null;
}

/** A threshold crossing, denial or price alert. */
export interface Alert {
  id: string;
  type: string;
  severity: "info" | "warning" | "critical";
  time: number;
  message: string;
  data: Record<string, unknown>;
  acknowledgedAt: number | null;
}

/** A rate: a decimal string, or a long-context tiered rate. */
export type Rate = string | { base: string; tiers: { startTokens: number; price: string }[] };

/** One price version of a model. */
export interface PriceVersion {
  id: string;
  provider: string;
  model: string;
  tokenRates: Record<string, Rate | undefined>;
  unitRates: Record<string, string | undefined>;
  effectiveFrom: number;
  effectiveTo: number | null;
  source: string;
}

/** A quarantined price change waiting for a decision. */
export interface PendingPriceChange {
  id: string;
  status: "pending" | "approved" | "rejected";
  createdAt: number;
  provider: string;
  model: string;
  proposed: PriceVersion;
  evidence: Record<string, unknown>;
}

/** One orchestration run. */
export interface Run {
  id: string;
  name: string;
  status: "running" | "completed" | "halted" | "failed";
  startedAt: number;
  endedAt: number | null;
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
}

/** A page of a list endpoint. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
