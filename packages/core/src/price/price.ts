import { z } from "zod";
import { nonNegativeDecimalSchema } from "../validation/common-schemas.js";

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

/** Zod schema of a {@link PriceVersion}. */
export const priceVersionSchema = z.object({
  id: z.string().min(1),
  provider: z.string().min(1),
  model: z.string().min(1),
  tokenRates: tokenRatesSchema,
  unitRates: unitRatesSchema.default({}),
  /** Fraction of the price paid for batch requests, e.g. "0.5". */
  batchMultiplier: decimalString.optional(),
  /** Epoch ms, inclusive. */
  effectiveFrom: z.number().int(),
  /** Epoch ms, exclusive; null while in force. */
  effectiveTo: z.number().int().nullable(),
  /** Price source id (`bundled`, `litellm`, `manual`, …). */
  source: z.string().min(1),
});

/** A rate: a decimal string, or a long-context tiered rate. */
export type Rate = z.infer<typeof rate>;
export type TieredRate = z.infer<typeof tieredRateSchema>;
export type TokenRates = z.infer<typeof tokenRatesSchema>;
export type UnitRates = z.infer<typeof unitRatesSchema>;

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
