import type { Clock } from "@budget/core";
import { systemClock, validate } from "@budget/core";
import type { PriceQuote, PriceSource } from "./price-source.js";
import { priceQuoteSchema } from "./quote-schema.js";

/** Manual overrides: the operator's word, set through the API or CLI. */
export interface ManualSource extends PriceSource {
  /** Sets (or replaces) the override of one model; validated. */
  set(quote: PriceQuote): void;
  /** Drops an override; true when one existed. */
  remove(provider: string, model: string): boolean;
  list(): PriceQuote[];
}

/** Options of {@link createManualSource}. */
export interface ManualSourceOptions {
  /** Overrides loaded at start (e.g. from configuration). */
  initial?: PriceQuote[];
  clock?: Clock;
  id?: string;
}

/**
 * `ManualPriceSource`: overrides with trust 1, which the updater applies without consensus and
 * which other sources never overwrite automatically.
 */
export function createManualSource(options: ManualSourceOptions = {}): ManualSource {
  const id = options.id ?? "manual";
  const clock = options.clock ?? systemClock;
  const quotes = new Map<string, PriceQuote>();
  const keyOf = (provider: string, model: string) => `${provider}\u0000${model}`;
  const source: ManualSource = {
    id,
    trust: 1,
    async fetch() {
      return { sourceId: id, fetchedAt: clock.now(), quotes: source.list() };
    },
    set(quote) {
      const q = validate(priceQuoteSchema, quote, "price") as PriceQuote;
      quotes.set(keyOf(q.provider, q.model), structuredClone(q));
    },
    remove: (provider, model) => quotes.delete(keyOf(provider, model)),
    list: () => [...quotes.values()].map((q) => structuredClone(q)),
  };
  for (const q of options.initial ?? []) source.set(q);
  return source;
}
