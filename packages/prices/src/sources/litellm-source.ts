import type { Clock } from "@budget/core";
import { systemClock } from "@budget/core";
import { fetchJson } from "./fetch-json.js";
import { normalizeLitellm } from "./litellm-normalize.js";
import type { FetchLike, PriceSource } from "./price-source.js";

/** LiteLLM's published price file. */
export const LITELLM_URL =
  "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json";

/** Options of {@link createLitellmSource}. */
export interface LitellmSourceOptions {
  url?: string;
  fetch?: FetchLike;
  /** Default 0.8: broad and usually right, but community-edited. */
  trust?: number;
  maxBytes?: number;
  timeoutMs?: number;
  clock?: Clock;
  id?: string;
}

/**
 * `LitellmPriceSource`: LiteLLM's `model_prices_and_context_window.json`, per-token numbers turned
 * into exact per-million decimals, with tiers, cache, reasoning, audio and batch rates.
 *
 * @example const source = createLitellmSource({ url: LITELLM_URL });
 */
export function createLitellmSource(options: LitellmSourceOptions = {}): PriceSource {
  const id = options.id ?? "litellm";
  const clock = options.clock ?? systemClock;
  return {
    id,
    trust: options.trust ?? 0.8,
    async fetch(signal) {
      const raw = await fetchJson({
        sourceId: id,
        url: options.url ?? LITELLM_URL,
        fetch: options.fetch,
        maxBytes: options.maxBytes,
        timeoutMs: options.timeoutMs,
        signal,
      });
      const { quotes, skipped } = normalizeLitellm(id, raw);
      return { sourceId: id, fetchedAt: clock.now(), quotes, skipped };
    },
  };
}
