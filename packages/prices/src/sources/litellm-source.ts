import { createFeedSource, type FeedSourceOptions } from "./feed-source.js";
import { normalizeLitellm } from "./litellm-normalize.js";
import type { PriceSource } from "./price-source.js";

/** LiteLLM's published price file. */
export const LITELLM_URL =
  "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json";

/** Options of {@link createLitellmSource}. */
export type LitellmSourceOptions = FeedSourceOptions;

/**
 * `LitellmPriceSource`: LiteLLM's `model_prices_and_context_window.json`, per-token numbers turned
 * into exact per-million decimals, with tiers, cache, reasoning, audio and batch rates.
 *
 * @example const source = createLitellmSource({ url: LITELLM_URL });
 */
export function createLitellmSource(options: LitellmSourceOptions = {}): PriceSource {
  return createFeedSource(
    {
      id: "litellm",
      url: LITELLM_URL,
      trust: 0.8, // broad and usually right, but community-edited
      normalize: (sourceId, raw) => normalizeLitellm(sourceId, raw),
    },
    options,
  );
}
