import type { Provider } from "@pydantic/genai-prices";
import { z } from "zod";
import { convertGenaiProviders } from "./bundled-convert.js";
import { createFeedSource, type FeedSourceOptions } from "./feed-source.js";
import type { PriceQuote, PriceSource } from "./price-source.js";
import { PriceSourceError } from "./price-source.js";

/** genai-prices' published data (the same structure as the data compiled into the npm package). */
export const GENAI_PRICES_URL =
  "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/data.json";

const priceValue = z.union([
  z.number().finite().nonnegative(),
  z.looseObject({
    base: z.number().finite().nonnegative(),
    tiers: z.array(
      z.looseObject({ start: z.number().int().nonnegative(), price: z.number().finite().nonnegative() }),
    ),
  }),
]);
const modelPrice = z.record(z.string(), priceValue);
const providersSchema = z.array(
  z.looseObject({
    id: z.string().min(1),
    models: z.array(
      z.looseObject({
        id: z.string().min(1),
        prices: z.union([modelPrice, z.array(z.looseObject({ prices: modelPrice }))]),
      }),
    ),
  }),
);

/**
 * Normalizes genai-prices provider data into quotes: each model's price in force at `at`, its
 * `equals` match names as aliases. The conversion is the bundled source's, so both agree exactly.
 */
export function normalizeGenaiProviders(sourceId: string, raw: unknown, at: number): PriceQuote[] {
  const parsed = providersSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PriceSourceError(sourceId, "invalid_feed", `${issue?.path.join(".")}: ${issue?.message}`);
  }
  const { versions, models } = convertGenaiProviders(parsed.data as unknown as Provider[], sourceId);
  const aliases = new Map(models.map((m) => [`${m.provider}\u0000${m.model}`, m.aliases]));
  const latest = new Map<string, (typeof versions)[number]>();
  for (const v of versions) {
    if (v.effectiveFrom > at || (v.effectiveTo !== null && v.effectiveTo <= at)) continue;
    latest.set(`${v.provider}\u0000${v.model}`, v);
  }
  return [...latest].map(([key, v]) => {
    const quote: PriceQuote = {
      provider: v.provider,
      model: v.model,
      tokenRates: v.tokenRates,
      unitRates: v.unitRates,
    };
    if (v.batchMultiplier !== undefined) quote.batchMultiplier = v.batchMultiplier;
    const names = aliases.get(key)?.filter((a) => a !== v.model);
    if (names?.length) quote.aliases = names;
    return quote;
  });
}

/** Options of {@link createGenaiPricesRemoteSource}. */
export type GenaiPricesRemoteSourceOptions = FeedSourceOptions;

/** `GenaiPricesRemoteSource`: the latest genai-prices data over HTTP, newer than the bundled copy. */
export function createGenaiPricesRemoteSource(options: GenaiPricesRemoteSourceOptions = {}): PriceSource {
  return createFeedSource(
    {
      id: "genai-prices",
      url: GENAI_PRICES_URL,
      trust: 0.9, // curated, reviewed data
      normalize: (sourceId, raw, now) => ({ quotes: normalizeGenaiProviders(sourceId, raw, now) }),
    },
    options,
  );
}
