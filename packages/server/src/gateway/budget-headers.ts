import { type Denial, formatUsd, type LimitAmounts } from "@budget/core";
import { denialRateLimitHeaders } from "../app/rate-limit-headers.js";
import { errorResponse } from "./dialect.js";
import type { GatewayApi } from "./gateway-config.js";

// Headers of a `Remaining` the lookup hands out again (the same object while its rows are cached).
const formatted = new WeakMap<object, Record<string, string>>();

/** {@link remainingHeaders} of a lookup's answer, formatted once per answer object. */
export function remainingHeadersOf(left: { remaining: LimitAmounts | null; resetsAt: number | null }) {
  let h = formatted.get(left);
  if (!h) {
    h = remainingHeaders(left.remaining, left.resetsAt);
    formatted.set(left, h);
  }
  return h;
}

/** `x-budget-remaining-*` and `x-budget-reset` headers of what is left under the tightest limit. */
export function remainingHeaders(
  remaining: LimitAmounts | null,
  resetsAt: number | null,
): Record<string, string> {
  const h: Record<string, string> = {};
  if (remaining?.tokens !== undefined) h["x-budget-remaining-tokens"] = String(remaining.tokens);
  if (remaining?.costNanoUsd !== undefined)
    h["x-budget-remaining-cost-usd"] = formatUsd(remaining.costNanoUsd);
  if (remaining?.requests !== undefined) h["x-budget-remaining-requests"] = String(remaining.requests);
  if (resetsAt !== null) h["x-budget-reset"] = new Date(resetsAt).toISOString();
  return h;
}

/**
 * A denial as the provider would say it: 429 (400 for an unpriced model) with an error body naming
 * the budget, limit, remaining amount and reset time, `Retry-After` and the `RateLimit` fields
 * when waiting can help (see {@link denialRateLimitHeaders}), and the `x-budget-*` headers.
 */
export function denialResponse(api: GatewayApi, denial: Denial): Response {
  const headers = {
    ...remainingHeaders(denial.remaining, denial.resetsAt),
    ...denialRateLimitHeaders(denial),
  };
  if (denial.budgetId) headers["x-budget-budget"] = denial.budgetId;
  if (denial.limitId) headers["x-budget-limit"] = denial.limitId;
  const r = denial.remaining;
  const budget = {
    reason: denial.reason,
    id: denial.budgetId,
    limit: denial.limitId,
    partition: denial.partition || null,
    enforcement: denial.enforcement,
    remaining: r
      ? {
          ...(r.tokens !== undefined ? { tokens: r.tokens } : {}),
          ...(r.costNanoUsd !== undefined ? { costUsd: formatUsd(r.costNanoUsd) } : {}),
          ...(r.requests !== undefined ? { requests: r.requests } : {}),
        }
      : null,
    resetsAt: denial.resetsAt === null ? null : new Date(denial.resetsAt).toISOString(),
    retryAfterMs: denial.retryAfterMs,
  };
  const kind = denial.reason === "unknown_model" ? "unknown_model" : "budget_exceeded";
  return errorResponse(api, kind, denial.message, { extra: { budget }, headers });
}
