import { z } from "zod";
import { nonNegativeDecimalSchema } from "../validation/common-schemas.js";
import { modelCapabilitiesSchema } from "./capabilities.js";

const decimalString = nonNegativeDecimalSchema.describe("exact decimal, USD");

/** A rate that changes with the request's input-side token count (long-context pricing). */
export const tieredRateSchema = z.object({
  base: decimalString,
  /** Ascending; when input-side tokens exceed `startTokens`, `price` applies to the whole request. */
  tiers: z.array(z.object({ startTokens: z.number().int().positive(), price: decimalString })).min(1),
});

const rate = z.union([decimalString, tieredRateSchema]);

/** Token rates in USD per million tokens. */
export const tokenRatesSchema = z.object({
  input: rate.optional(),
  output: rate.optional(),
  cacheRead: rate.optional(),
  cacheWrite: rate.optional(),
  cacheWrite1h: rate.optional(),
  /** Only when reasoning is billed differently from output. */
  reasoning: rate.optional(),
  inputAudio: rate.optional(),
  cacheAudioRead: rate.optional(),
  outputAudio: rate.optional(),
  /** Image output tokens (Gemini image models), USD per million. */
  imageOutput: rate.optional(),
});

/** Unit rates in USD per unit. */
export const unitRatesSchema = z.object({
  request: decimalString.optional(),
  webSearch: decimalString.optional(),
  inputImage: decimalString.optional(),
  outputImage: decimalString.optional(),
});

/** `HH:MM` or `HH:MM:SS`, UTC, 00:00:00–24:00:00. */
const utcTimeSchema = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$|^24:00(?::00)?$/, "must be a UTC time HH:MM or HH:MM:SS");

/**
 * Rates in force during one UTC time-of-day window (peak or off-peak hours): they replace the
 * version's token and unit rates entirely while the window lasts. `startUtc` is inclusive,
 * `endUtc` exclusive; an end before the start wraps past midnight (`16:30`–`00:30`).
 */
export const timeWindowRatesSchema = z.object({
  startUtc: utcTimeSchema,
  endUtc: utcTimeSchema,
  tokenRates: tokenRatesSchema,
  unitRates: unitRatesSchema.default({}),
});

/** Zod schema of a {@link PriceVersion}. */
export const priceVersionSchema = z.object({
  id: z.string().min(1),
  provider: z.string().min(1),
  model: z.string().min(1),
  tokenRates: tokenRatesSchema,
  unitRates: unitRatesSchema.default({}),
  /** Fraction of the price paid for batch requests, e.g. "0.5". */
  batchMultiplier: decimalString.optional(),
  /**
   * Time-of-day rate schedule: the first window containing the instant's UTC time of day applies
   * instead of `tokenRates`/`unitRates`; outside every window the version's own rates apply.
   */
  schedule: z.array(timeWindowRatesSchema).min(1).optional(),
  /** Epoch ms, inclusive. */
  effectiveFrom: z.number().int(),
  /** Epoch ms, exclusive; null while in force. */
  effectiveTo: z.number().int().nullable(),
  /** Price source id (`bundled`, `litellm`, `manual`, …). */
  source: z.string().min(1),
  /** What the sources publish about the model (context window, tools, caching…); absent: unknown. */
  capabilities: modelCapabilitiesSchema.optional(),
});

/** A rate: a decimal string, or a long-context tiered rate. */
export type Rate = z.infer<typeof rate>;
export type TieredRate = z.infer<typeof tieredRateSchema>;
export type TokenRates = z.infer<typeof tokenRatesSchema>;
export type UnitRates = z.infer<typeof unitRatesSchema>;
/** Rates of one UTC time-of-day window of a {@link PriceVersion}'s `schedule`. */
export type TimeWindowRates = z.infer<typeof timeWindowRatesSchema>;

/**
 * One model's prices over one effective interval, from one source. Immutable: a change makes a
 * new version and closes the old one (`effectiveTo`). Every cost names the version it used.
 */
export type PriceVersion = z.infer<typeof priceVersionSchema>;

/** A model known to the catalog, with the names that resolve to it. */
export interface ModelEntry {
  provider: string;
  model: string;
  aliases: string[];
  /** Name prefixes that also resolve to this model (longest prefix wins), e.g. `claude-3-5-sonnet`. */
  prefixes?: string[];
  /** Optional display name and context window, as sources report them. */
  name?: string;
  contextWindow?: number;
}
