import { type Decimal, parseDecimal } from "../money/decimal.js";
import type { PriceVersion, Rate, TimeWindowRates, TokenRates, UnitRates } from "../price/price.js";
import { windowAt } from "./time-window.js";

/** The token buckets of a usage, each priced at one token rate. */
export const TOKEN_COMPONENTS = [
  "input",
  "cacheRead",
  "cacheWrite",
  "cacheWrite1h",
  "output",
  "reasoning",
  "inputAudio",
  "cacheAudioRead",
  "outputAudio",
  "imageOutput",
] as const;

/** The counted units of a usage, each priced per unit. */
export const UNIT_COMPONENTS = ["request", "webSearch", "inputImage", "outputImage"] as const;

export type TokenComponent = (typeof TOKEN_COMPONENTS)[number];
export type UnitComponent = (typeof UNIT_COMPONENTS)[number];
/** One line of a cost breakdown. */
export type CostComponent = TokenComponent | UnitComponent;

/**
 * Where a token bucket without its own rate is billed: the nearest more general rate, as
 * genai-prices does (a bucket is a refinement of its ancestors: cache reads are input tokens,
 * 1-hour cache writes are cache writes, reasoning is output, …).
 */
export const TOKEN_RATE_FALLBACKS: Readonly<Record<TokenComponent, readonly (keyof TokenRates)[]>> = {
  input: ["input"],
  cacheRead: ["cacheRead", "input"],
  cacheWrite: ["cacheWrite", "input"],
  cacheWrite1h: ["cacheWrite1h", "cacheWrite", "input"],
  output: ["output"],
  reasoning: ["reasoning", "output"],
  inputAudio: ["inputAudio", "input"],
  cacheAudioRead: ["cacheAudioRead", "cacheRead", "inputAudio", "input"],
  outputAudio: ["outputAudio", "output"],
  // Image output tokens cost ~12× text: never billed at the text rate; unpriced without their own.
  imageOutput: ["imageOutput"],
};

/** A token rate as integer units at the compiled price's scale (USD per million tokens). */
export interface CompiledRate {
  baseUnits: bigint;
  baseText: string;
  /** Ascending by `startTokens`. */
  tiers: readonly { startTokens: number; units: bigint; text: string }[];
}

/** A {@link PriceVersion} turned into bigint numerators at one common decimal scale. */
export interface CompiledPrice {
  /** Rates are `units / 10^scale` USD (per million tokens for token rates, per unit for unit rates). */
  scale: number;
  /** Indexed like {@link TOKEN_COMPONENTS}; null when no rate (not even a fallback) applies. */
  tokenRates: readonly (CompiledRate | null)[];
  /** Indexed like {@link UNIT_COMPONENTS}. */
  unitRates: readonly ({ units: bigint; text: string } | null)[];
  /** True when any token rate has long-context tiers. */
  tiered: boolean;
  batchMultiplier: Decimal | null;
}

const cache = new WeakMap<PriceVersion | TimeWindowRates, CompiledPrice>();

/** The compiled form of a price version's own rates, compiled once and cached per version object. */
export function compilePrice(price: PriceVersion): CompiledPrice {
  let compiled = cache.get(price);
  if (!compiled) {
    compiled = compileUncached(price);
    cache.set(price, compiled);
  }
  return compiled;
}

/**
 * The compiled rates of `price` in force at `at`: a time-of-day window's rates inside it (with the
 * version's batch multiplier), the version's own rates otherwise. Also returns the window used.
 */
export function compilePriceAt(
  price: PriceVersion,
  at: number | undefined,
): { compiled: CompiledPrice; window: TimeWindowRates | null } {
  const window = windowAt(price, at);
  if (!window) return { compiled: compilePrice(price), window: null };
  let compiled = cache.get(window);
  if (!compiled) {
    compiled = compileUncached({ ...price, tokenRates: window.tokenRates, unitRates: window.unitRates });
    cache.set(window, compiled);
  }
  return { compiled, window };
}

function rateDecimals(rate: Rate): Decimal[] {
  if (typeof rate === "string") return [parseDecimal(rate)];
  return [parseDecimal(rate.base), ...rate.tiers.map((t) => parseDecimal(t.price))];
}

function compileUncached(price: PriceVersion): CompiledPrice {
  const tokenRates = TOKEN_COMPONENTS.map((c) => firstRate(price.tokenRates, c));
  const unitRates = UNIT_COMPONENTS.map((c) => (price.unitRates as UnitRates)[c]);
  const decimals = [
    ...tokenRates.flatMap((r) => (r ? rateDecimals(r) : [])),
    ...unitRates.flatMap((r) => (r === undefined ? [] : [parseDecimal(r)])),
  ];
  const scale = Math.max(0, ...decimals.map((d) => d.scale));
  const at = (text: string) => {
    const d = parseDecimal(text);
    return d.units * 10n ** BigInt(scale - d.scale);
  };
  const compileRate = (rate: Rate): CompiledRate => {
    if (typeof rate === "string") return { baseUnits: at(rate), baseText: rate, tiers: [] };
    const tiers = [...rate.tiers]
      .sort((a, b) => a.startTokens - b.startTokens)
      .map((t) => ({ startTokens: t.startTokens, units: at(t.price), text: t.price }));
    return { baseUnits: at(rate.base), baseText: rate.base, tiers };
  };
  return {
    scale,
    tokenRates: tokenRates.map((r) => (r ? compileRate(r) : null)),
    unitRates: unitRates.map((r) => (r === undefined ? null : { units: at(r), text: r })),
    tiered: tokenRates.some((r) => r !== undefined && typeof r !== "string"),
    batchMultiplier: price.batchMultiplier === undefined ? null : parseDecimal(price.batchMultiplier),
  };
}

function firstRate(rates: TokenRates, component: TokenComponent): Rate | undefined {
  for (const key of TOKEN_RATE_FALLBACKS[component]) {
    const rate = rates[key];
    if (rate !== undefined) return rate;
  }
  return undefined;
}
