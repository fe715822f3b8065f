import { BudgetError } from "../errors/budget-error.js";
import { type Decimal, divRoundHalfUp, formatDecimal } from "../money/decimal.js";
import type { NanoUsd } from "../money/nano-usd.js";
import type { PriceVersion, TimeWindowRates } from "../price/price.js";
import { inputSideTokens, USAGE_FIELDS, type Usage } from "../usage/usage.js";
import {
  type CompiledPrice,
  type CompiledRate,
  type CostComponent,
  compilePriceAt,
  TOKEN_COMPONENTS,
  type TokenComponent,
  UNIT_COMPONENTS,
} from "./compile-price.js";

/** One priced line of a cost: a quantity at a rate, exact before rounding. */
export interface CostLine {
  component: CostComponent;
  /** Tokens for token components, units otherwise. */
  quantity: number;
  /** The rate applied, as written in the price: USD per million tokens, or USD per unit. */
  rate: string;
  /** Exact USD of this line (batch multiplier included), before rounding. */
  usd: string;
}

/** What a usage costs under one price version. */
export interface CostResult {
  /** The exact total rounded once, half-up, to nano-USD. */
  costNanoUsd: NanoUsd;
  /** The exact total before rounding. */
  exact: Decimal;
  /** One line per non-zero priced component. */
  breakdown: CostLine[];
  /** Components with a non-zero quantity and no applicable rate: they add nothing to the cost. */
  unpriced: CostComponent[];
  /** The long-context tier applied (its `startTokens`), or null for base rates. */
  tierStartTokens: number | null;
  /** The price version used. */
  priceVersionId: string;
  /** The time-of-day window whose rates applied (`startUtc`, `endUtc`), or null for the version's own rates. */
  timeWindow: { startUtc: string; endUtc: string } | null;
}

/** Options of {@link computeCost}. */
export interface CostOptions {
  /** A batch request: every line is scaled by the version's `batchMultiplier` (full price when it has none). */
  batch?: boolean;
  /**
   * Epoch ms of the usage: chooses the rates of a version with a time-of-day `schedule`. Required
   * for such a version (an error otherwise); ignored by versions without one.
   */
  at?: number;
}

/** Token quantities indexed like TOKEN_COMPONENTS; output excludes reasoning (priced once). */
function tokenQuantities(u: Usage): number[] {
  return [
    u.inputTokens,
    u.cacheReadTokens,
    u.cacheWriteTokens,
    u.cacheWrite1hTokens,
    u.outputTokens - u.reasoningTokens,
    u.reasoningTokens,
    u.inputAudioTokens,
    u.cacheAudioReadTokens,
    u.outputAudioTokens,
    u.outputImageTokens,
  ];
}

function unitQuantities(u: Usage): number[] {
  return [u.requests, u.webSearches, u.inputImages, u.outputImages];
}

const MILLION = 1_000_000n;

type Line = { component: CostComponent; quantity: number; rate: string; units: bigint };

/**
 * Computes the cost of a usage exactly: each bucket at its rate (or the nearest more general rate,
 * see `TOKEN_RATE_FALLBACKS`), long-context tiers chosen when input-side tokens exceed a tier's
 * `startTokens` (strictly, as genai-prices does), summed as one exact rational and rounded once,
 * half-up, to nano-USD. A bucket with no applicable rate costs nothing and is listed in `unpriced`.
 *
 * @example computeCost(price, makeUsage({ inputTokens: 1000, outputTokens: 200 })).costNanoUsd
 */
export function computeCost(price: PriceVersion, usage: Usage, options: CostOptions = {}): CostResult {
  const priced = priceLines(price, usage, options.at);
  const { scale, multiplier } = scaleOf(priced.compiled, options);
  let total = 0n;
  const breakdown: CostLine[] = [];
  for (const line of priced.lines) {
    const units = line.units * multiplier;
    total += units;
    breakdown.push({
      component: line.component,
      quantity: line.quantity,
      rate: line.rate,
      usd: formatDecimal(normalized(units, scale)),
    });
  }
  return {
    costNanoUsd: roundToNano(total, scale),
    exact: normalized(total, scale),
    breakdown,
    unpriced: priced.unpriced,
    tierStartTokens: priced.tierStartTokens,
    priceVersionId: price.id,
    timeWindow: windowOf(priced.window),
  };
}

/**
 * Only the rounded total of {@link computeCost} (same lines, same rounding), without the
 * breakdown: what the engine charges on every reserve and commit.
 */
export function computeCostNanoUsd(price: PriceVersion, usage: Usage, options: CostOptions = {}): NanoUsd {
  const priced = priceLines(price, usage, options.at);
  const { scale, multiplier } = scaleOf(priced.compiled, options);
  let total = 0n;
  for (const line of priced.lines) total += line.units * multiplier;
  return roundToNano(total, scale);
}

/** Each non-zero bucket of `usage` at its rate, as exact integer units at the price's scale. */
function priceLines(price: PriceVersion, usage: Usage, at: number | undefined) {
  assertCounts(usage);
  if (usage.reasoningTokens > usage.outputTokens) {
    throw new BudgetError(
      "invalid_input",
      "reasoningTokens is a subset of outputTokens and cannot exceed it",
    );
  }
  const { compiled, window } = compilePriceAt(price, at);
  const tierIndex = compiled.tiered ? inputSideTokens(usage) : 0;
  let tierStartTokens: number | null = null;
  const lines: Line[] = [];
  const unpriced: CostComponent[] = [];
  const tokens = tokenQuantities(usage);
  for (let i = 0; i < TOKEN_COMPONENTS.length; i++) {
    const quantity = tokens[i]!;
    if (quantity === 0) continue;
    const component = TOKEN_COMPONENTS[i] as TokenComponent;
    const rate = compiled.tokenRates[i];
    if (!rate) {
      unpriced.push(component);
      continue;
    }
    const chosen = pickTier(rate, tierIndex);
    if (chosen.startTokens !== null) tierStartTokens = chosen.startTokens;
    lines.push({ component, quantity, rate: chosen.text, units: BigInt(quantity) * chosen.units });
  }
  const units = unitQuantities(usage);
  for (let i = 0; i < UNIT_COMPONENTS.length; i++) {
    const quantity = units[i]!;
    if (quantity === 0) continue;
    const component = UNIT_COMPONENTS[i]!;
    const rate = compiled.unitRates[i];
    if (!rate) {
      // A request with no per-request fee is the normal case, not a missing price.
      if (component !== "request") unpriced.push(component);
      continue;
    }
    lines.push({ component, quantity, rate: rate.text, units: BigInt(quantity) * rate.units * MILLION });
  }
  return { compiled, window, lines, unpriced, tierStartTokens };
}

function windowOf(w: TimeWindowRates | null): CostResult["timeWindow"] {
  return w ? { startUtc: w.startUtc, endUtc: w.endUtc } : null;
}

/** Every count of a usage is a non-negative safe integer: a negative count would refund money. */
function assertCounts(usage: Usage): void {
  for (const field of USAGE_FIELDS) {
    const value = usage[field];
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new BudgetError("invalid_input", `usage.${field} must be a non-negative integer, got ${value}`, {
        field,
      });
    }
  }
}

function pickTier(
  rate: CompiledRate,
  inputSide: number,
): { units: bigint; text: string; startTokens: number | null } {
  let chosen: { units: bigint; text: string; startTokens: number | null } = {
    units: rate.baseUnits,
    text: rate.baseText,
    startTokens: null,
  };
  for (const tier of rate.tiers) {
    if (inputSide > tier.startTokens) chosen = tier;
  }
  return chosen;
}

/** The scale of line units (rates are per million tokens) and the batch multiplier's numerator. */
function scaleOf(compiled: CompiledPrice, options: CostOptions): { scale: number; multiplier: bigint } {
  const batch = options.batch ? compiled.batchMultiplier : null;
  return batch
    ? { scale: compiled.scale + 6 + batch.scale, multiplier: batch.units }
    : { scale: compiled.scale + 6, multiplier: 1n };
}

/** `total / 10^scale` USD rounded once, half-up, to nano-USD. */
function roundToNano(total: bigint, scale: number): NanoUsd {
  return scale <= 9 ? total * pow10(9 - scale) : divRoundHalfUp(total, pow10(scale - 9));
}

const POW10: bigint[] = [];
function pow10(n: number): bigint {
  let p = POW10[n];
  if (p === undefined) {
    p = 10n ** BigInt(n);
    POW10[n] = p;
  }
  return p;
}

/** `normalize` with one division: the hot path formats a decimal per breakdown line. */
function normalized(units: bigint, scale: number): Decimal {
  if (units === 0n) return { units: 0n, scale: 0 };
  const digits = units.toString();
  let zeros = 0;
  while (zeros < scale && digits.charCodeAt(digits.length - 1 - zeros) === 48) zeros++;
  return zeros === 0 ? { units, scale } : { units: units / pow10(zeros), scale: scale - zeros };
}
