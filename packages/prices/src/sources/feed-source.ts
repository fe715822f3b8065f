import { type Clock, systemClock } from "@budget/core";
import { fetchJson } from "./fetch-json.js";
import type { FetchLike, PriceQuote, PriceSource, SkippedEntry } from "./price-source.js";

/** Options every HTTP price feed takes. */
export interface FeedSourceOptions {
  url?: string;
  fetch?: FetchLike;
  /** How far this source is believed (0–1); each feed has its own default. */
  trust?: number;
  maxBytes?: number;
  timeoutMs?: number;
  clock?: Clock;
  id?: string;
}

/** What makes one feed: its defaults and how its JSON becomes quotes. */
export interface FeedDefinition {
  id: string;
  url: string;
  trust: number;
  /** Fields the feed never carries (see `PriceSource.partialFields`). */
  partialFields?: readonly string[];
  normalize(sourceId: string, raw: unknown, now: number): { quotes: PriceQuote[]; skipped?: SkippedEntry[] };
}

/** A price source that fetches one JSON document (timeout, byte cap, validation) and normalizes it. */
export function createFeedSource(feed: FeedDefinition, options: FeedSourceOptions): PriceSource {
  const id = options.id ?? feed.id;
  const clock = options.clock ?? systemClock;
  return {
    id,
    trust: options.trust ?? feed.trust,
    ...(feed.partialFields ? { partialFields: feed.partialFields } : {}),
    async fetch(signal) {
      const raw = await fetchJson({
        sourceId: id,
        url: options.url ?? feed.url,
        fetch: options.fetch,
        maxBytes: options.maxBytes,
        timeoutMs: options.timeoutMs,
        signal,
      });
      const now = clock.now();
      const { quotes, skipped } = feed.normalize(id, raw, now);
      return { sourceId: id, fetchedAt: now, quotes, ...(skipped ? { skipped } : {}) };
    },
  };
}
