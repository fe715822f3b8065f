import type { Limit } from "../budget/budget.js";
import { BudgetError } from "../errors/budget-error.js";
import { formatUsd, usdToNano } from "../money/nano-usd.js";
import type { Amounts } from "../ports/store.js";

/**
 * What no counter may ever hold: tokens and requests stay exact in a JS number (and in a JSON
 * number read by any parser), cost stays at half the signed 64-bit range of the stores. A change
 * that would take a counter past this is refused with `counter_overflow` before anything is written.
 */
export const COUNTER_CEILING: Readonly<Amounts> = Object.freeze({
  tokens: Number.MAX_SAFE_INTEGER,
  costNanoUsd: 2n ** 62n,
  requests: Number.MAX_SAFE_INTEGER,
});

/** Most one event, one limit may carry: `tokens` (all token fields together), `costNanoUsd`, `requests`. */
export interface AmountBounds {
  /** One usage event, estimate or reservation. */
  event: Amounts;
  /** One limit's amounts, and separately its overdraft. */
  limit: Amounts;
}

/**
 * The defaults: an event up to 10 billion tokens, $10,000 and 1 million requests; a limit up to
 * 10^15 tokens, $1 billion and 10^12 requests — each far inside {@link COUNTER_CEILING}.
 */
export const DEFAULT_AMOUNT_BOUNDS: Readonly<AmountBounds> = Object.freeze({
  event: { tokens: 10_000_000_000, costNanoUsd: 10_000n * 10n ** 9n, requests: 1_000_000 },
  limit: { tokens: 10 ** 15, costNanoUsd: 10n ** 18n, requests: 10 ** 12 },
});

/** Bounds as configured: any subset, cost as a USD decimal string. */
export interface AmountBoundsInput {
  maxEventTokens?: number;
  maxEventCostUsd?: string;
  maxEventRequests?: number;
  maxLimitTokens?: number;
  maxLimitCostUsd?: string;
  maxLimitRequests?: number;
}

const minNano = (a: bigint, b: bigint) => (a <= b ? a : b);
const fail = (message: string) => new BudgetError("invalid_input", `amount bounds: ${message}`);

/**
 * The bounds with `input` applied over the defaults. A limit bound must leave room for its
 * overdraft, the reservations and one more event under the ceiling (a quarter of it), and an event
 * bound may not exceed the limit bound.
 */
export function resolveAmountBounds(input: AmountBoundsInput = {}): AmountBounds {
  const d = DEFAULT_AMOUNT_BOUNDS;
  const limit: Amounts = {
    tokens: input.maxLimitTokens ?? d.limit.tokens,
    costNanoUsd: input.maxLimitCostUsd !== undefined ? usdToNano(input.maxLimitCostUsd) : d.limit.costNanoUsd,
    requests: input.maxLimitRequests ?? d.limit.requests,
  };
  // An event bound left unset follows a lower limit bound.
  const bounds: AmountBounds = {
    event: {
      tokens: input.maxEventTokens ?? Math.min(d.event.tokens, limit.tokens),
      costNanoUsd:
        input.maxEventCostUsd !== undefined
          ? usdToNano(input.maxEventCostUsd)
          : minNano(limit.costNanoUsd, d.event.costNanoUsd),
      requests: input.maxEventRequests ?? Math.min(d.event.requests, limit.requests),
    },
    limit,
  };
  const c = COUNTER_CEILING;
  for (const f of ["tokens", "requests"] as const) {
    const { event, limit } = { event: bounds.event[f], limit: bounds.limit[f] };
    if (!Number.isSafeInteger(event) || event < 1) throw fail(`event ${f} must be a positive integer`);
    if (!Number.isSafeInteger(limit) || limit < event) throw fail(`limit ${f} must be at least event ${f}`);
    if (limit > Math.floor(c[f] / 4)) throw fail(`limit ${f} must be at most ${Math.floor(c[f] / 4)}`);
  }
  if (bounds.event.costNanoUsd < 1n) throw fail("event cost must be positive");
  if (bounds.limit.costNanoUsd < bounds.event.costNanoUsd)
    throw fail("limit cost must be at least event cost");
  if (bounds.limit.costNanoUsd > c.costNanoUsd / 4n)
    throw fail(`limit cost must be at most ${formatUsd(c.costNanoUsd / 4n)} USD`);
  return bounds;
}

const tooLarge = (what: string, field: string, max: string) =>
  new BudgetError("amount_too_large", `${what}: ${field} is over the maximum of ${max}`, { field, max });

/** Throws `amount_too_large` when one event's (or estimate's) amounts pass the event bounds. */
export function assertEventWithin(bounds: AmountBounds, amounts: Amounts, what: string): void {
  const max = bounds.event;
  if (amounts.tokens > max.tokens) throw tooLarge(what, "tokens", String(max.tokens));
  if (amounts.costNanoUsd > max.costNanoUsd)
    throw tooLarge(what, "cost", `${formatUsd(max.costNanoUsd)} USD`);
  if (amounts.requests > max.requests) throw tooLarge(what, "requests", String(max.requests));
}

/** Throws `amount_too_large` when a limit's amounts or overdraft pass the limit bounds. */
export function assertLimitWithin(bounds: AmountBounds, limit: Limit, where: string): void {
  const max = bounds.limit;
  const check = (
    field: string,
    part: { tokens?: number | undefined; cost?: string | undefined; requests?: number | undefined },
  ) => {
    if (part.tokens !== undefined && part.tokens > max.tokens)
      throw tooLarge(where, `${field}tokens`, String(max.tokens));
    if (part.cost !== undefined && usdToNano(part.cost) > max.costNanoUsd)
      throw tooLarge(where, `${field}cost`, `${formatUsd(max.costNanoUsd)} USD`);
    if (part.requests !== undefined && part.requests > max.requests)
      throw tooLarge(where, `${field}requests`, String(max.requests));
  };
  check("", limit);
  if (limit.overdraft) check("overdraft.", limit.overdraft);
}

/**
 * Throws `counter_overflow` when a counter's used + reserved (`load`, after a change) would pass
 * {@link COUNTER_CEILING} either way; stores call it before they change anything.
 */
export function assertCounterFits(key: string, load: Amounts): void {
  const c = COUNTER_CEILING;
  const over =
    Math.abs(load.tokens) > c.tokens ||
    Math.abs(load.requests) > c.requests ||
    load.costNanoUsd > c.costNanoUsd ||
    -load.costNanoUsd > c.costNanoUsd;
  if (over)
    throw new BudgetError(
      "counter_overflow",
      `counter ${key} would pass its ceiling (${c.tokens} tokens, ${formatUsd(c.costNanoUsd)} USD, ${c.requests} requests); nothing was changed`,
      { counter: key },
    );
}
