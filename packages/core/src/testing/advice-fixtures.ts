import { createCatalog } from "../catalog/create-catalog.js";
import type { PriceVersion } from "../price/price.js";

const v = (provider: string, model: string, rest: Partial<PriceVersion>): PriceVersion => ({
  id: `t:${provider}:${model}`,
  provider,
  model,
  tokenRates: {},
  unitRates: {},
  effectiveFrom: 0,
  effectiveTo: null,
  source: "manual",
  ...rest,
});

/**
 * Five models for advice tests (rates USD per million tokens): `acme/big` 10/30 with cache reads
 * at 1 and batch at half price; `acme/small` 1/2 (cache reads at the input rate); `beta/cheap`
 * 0.1/0.2 without tools; `beta/silent` 0.05/0.1 stating nothing; `gamma/embed` input only.
 */
export const ADVICE_PRICES: PriceVersion[] = [
  v("acme", "big", {
    tokenRates: { input: "10", output: "30", cacheRead: "1" },
    batchMultiplier: "0.5",
    capabilities: {
      tools: true,
      reasoning: true,
      promptCaching: true,
      batch: true,
      contextWindow: 128000,
      maxOutputTokens: 8192,
    },
  }),
  v("acme", "small", {
    tokenRates: { input: "1", output: "2" },
    capabilities: { tools: true, reasoning: true, contextWindow: 32000, maxOutputTokens: 4096 },
  }),
  v("beta", "cheap", {
    tokenRates: { input: "0.1", output: "0.2" },
    capabilities: { tools: false, reasoning: true },
  }),
  v("beta", "silent", { tokenRates: { input: "0.05", output: "0.1" } }),
  v("gamma", "embed", { tokenRates: { input: "0.01" }, capabilities: { tools: true, reasoning: true } }),
];

/** A catalog of {@link ADVICE_PRICES}. */
export function createAdviceCatalog() {
  return createCatalog({ versions: ADVICE_PRICES });
}
