import type { TokenRates, UnitRates } from "@budget/core";
import { z } from "zod";
import { createFeedSource, type FeedSourceOptions } from "./feed-source.js";
import { perTokenToPerMillion, perUnit } from "./per-million.js";
import type { PriceQuote, PriceSource, SkippedEntry } from "./price-source.js";
import { PriceSourceError } from "./price-source.js";
import { openrouterCapabilities } from "./source-capabilities.js";

/** Price fields OpenRouter's models API never carries. */
export const OPENROUTER_PARTIAL_FIELDS: readonly string[] = [
  "tokenRates.cacheWrite1h",
  "tokenRates.inputAudio",
  "tokenRates.cacheAudioRead",
  "tokenRates.outputAudio",
  "batchMultiplier",
  "schedule",
];

/** OpenRouter's public model list. */
export const OPENROUTER_URL = "https://openrouter.ai/api/v1/models";

const priceText = z.union([z.string(), z.number()]).transform(String);
const modelSchema = z.looseObject({
  id: z.string().min(1),
  pricing: z.looseObject({
    prompt: priceText.optional(),
    completion: priceText.optional(),
    input_cache_read: priceText.optional(),
    input_cache_write: priceText.optional(),
    internal_reasoning: priceText.optional(),
    image: priceText.optional(),
    request: priceText.optional(),
    web_search: priceText.optional(),
  }),
});
const feedSchema = z.looseObject({ data: z.array(z.unknown()) });

const TOKEN: [string, keyof TokenRates][] = [
  ["prompt", "input"],
  ["completion", "output"],
  ["input_cache_read", "cacheRead"],
  ["input_cache_write", "cacheWrite"],
  ["internal_reasoning", "reasoning"],
];
const UNIT: [string, keyof UnitRates][] = [
  ["image", "inputImage"],
  ["request", "request"],
  ["web_search", "webSearch"],
];

/**
 * Normalizes an OpenRouter `GET /api/v1/models` body. Prices are per-token strings; `"-1"` means
 * "variable" and is not a price (the field is left out). The provider is the id's part before
 * `/`, the model the rest; the full id stays an alias. A repeated id is skipped.
 */
export function normalizeOpenRouter(
  sourceId: string,
  raw: unknown,
): { quotes: PriceQuote[]; skipped: SkippedEntry[] } {
  const feed = feedSchema.safeParse(raw);
  if (!feed.success) throw new PriceSourceError(sourceId, "invalid_feed", "body has no `data` array");
  const quotes = new Map<string, PriceQuote>();
  const skipped: SkippedEntry[] = [];
  const seen = new Map<string, string>();
  const ambiguous = new Set<string>();
  for (const [i, item] of feed.data.data.entries()) {
    const parsed = modelSchema.safeParse(item);
    if (!parsed.success) {
      throw new PriceSourceError(sourceId, "invalid_feed", `data.${i}: ${parsed.error.issues[0]?.message}`);
    }
    const { id, pricing } = parsed.data;
    const pricingText = JSON.stringify(pricing);
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      // Two listings of one id with different prices: neither can be trusted (unpriced is not free).
      if (earlier !== pricingText) ambiguous.add(id);
      skipped.push({
        key: id,
        reason: earlier === pricingText ? "duplicate id" : "duplicate id with other prices",
      });
      continue;
    }
    seen.set(id, pricingText);
    const read = (field: string, perToken: boolean): string | null => {
      const text = (pricing as Record<string, string | undefined>)[field];
      if (text === undefined || text === "-1") return null;
      const out = perToken ? perTokenToPerMillion(text) : perUnit(text);
      if (out === null) {
        throw new PriceSourceError(sourceId, "invalid_feed", `${id}.pricing.${field}: not a valid price`, {
          key: id,
          field,
          value: text,
        });
      }
      return out;
    };
    const tokenRates: TokenRates = {};
    for (const [field, target] of TOKEN) {
      const v = read(field, true);
      // A zero reasoning price means "billed as output", not "free".
      if (v !== null && !(target === "reasoning" && v === "0")) tokenRates[target] = v;
    }
    const unitRates: UnitRates = {};
    for (const [field, target] of UNIT) {
      const v = read(field, false);
      if (v !== null) unitRates[target] = v;
    }
    if (tokenRates.input === undefined && tokenRates.output === undefined) {
      skipped.push({ key: id, reason: "no token price" });
      continue;
    }
    const slash = id.indexOf("/");
    const provider = slash > 0 ? id.slice(0, slash) : "openrouter";
    const model = slash > 0 ? id.slice(slash + 1) : id;
    const quote: PriceQuote = { provider, model, tokenRates, unitRates, aliases: [`openrouter/${id}`] };
    const capabilities = openrouterCapabilities(parsed.data);
    if (capabilities) quote.capabilities = capabilities;
    quotes.set(id, quote);
  }
  return { quotes: [...quotes].filter(([id]) => !ambiguous.has(id)).map(([, q]) => q), skipped };
}

/** Options of {@link createOpenRouterSource}. */
export type OpenRouterSourceOptions = FeedSourceOptions;

/** `OpenRouterPriceSource`: OpenRouter's model list as price quotes. */
export function createOpenRouterSource(options: OpenRouterSourceOptions = {}): PriceSource {
  return createFeedSource(
    {
      id: "openrouter",
      url: OPENROUTER_URL,
      // Its models API has no 1-hour cache, audio or batch prices: silence there is not removal.
      partialFields: OPENROUTER_PARTIAL_FIELDS,
      trust: 0.7, // resale prices: usually the provider's, sometimes not
      normalize: (sourceId, raw) => normalizeOpenRouter(sourceId, raw),
    },
    options,
  );
}
