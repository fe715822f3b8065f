import {
  type Amounts,
  type Denial,
  formatUsd,
  type LimitAmounts,
  type LimitStatus,
  type UsageEvent,
} from "@budget/core";

/** Amounts as tools return them: money as a USD decimal string (JSON has no bigint). */
export interface AmountsJson {
  tokens?: number;
  costUsd?: string;
  requests?: number;
}

/** {@link Amounts} or {@link LimitAmounts} with money as a USD string; absent fields stay absent. */
export function amountsJson(a: Amounts | LimitAmounts | null): AmountsJson | null {
  if (!a) return null;
  const out: AmountsJson = {};
  if (a.tokens !== undefined) out.tokens = a.tokens;
  if (a.costNanoUsd !== undefined) out.costUsd = formatUsd(a.costNanoUsd);
  if (a.requests !== undefined) out.requests = a.requests;
  return out;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A denial: which budget and limit blocked, what is left, when it resets. */
export function denialJson(d: Denial) {
  return {
    reason: d.reason,
    message: d.message,
    budgetId: d.budgetId,
    limitId: d.limitId,
    partition: d.partition,
    enforcement: d.enforcement,
    limit: amountsJson(d.limit),
    requested: amountsJson(d.requested),
    remaining: amountsJson(d.remaining),
    resetsAt: iso(d.resetsAt),
  };
}

/** One limit's window for one partition. */
export function statusJson(s: LimitStatus) {
  return {
    budgetId: s.budgetId,
    budgetName: s.budgetName,
    limitId: s.limitId,
    partition: s.partition,
    window: s.window,
    enforcement: s.enforcement,
    windowStart: iso(s.windowStart),
    resetsAt: iso(s.resetsAt),
    limit: amountsJson(s.limit),
    used: amountsJson(s.used),
    reserved: amountsJson(s.reserved),
    remaining: amountsJson(s.remaining),
    utilization: s.utilization,
  };
}

/** One ledger event. */
export function eventJson(e: UsageEvent) {
  return {
    id: e.id,
    time: iso(e.time),
    dimensions: e.dimensions,
    usage: e.usage,
    costUsd: formatUsd(e.costNanoUsd),
    priceVersionId: e.priceVersionId,
    pricing: e.pricing,
  };
}

/** A tool result carrying `value` both as JSON text (for any client) and as structured content. */
export function toolResult(value: Record<string, unknown>) {
  return {
    content: [{ type: "text" as const, text: JSON.stringify(value, null, 2) }],
    structuredContent: value,
  };
}
