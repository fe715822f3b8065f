import type { Clock } from "@budget/core";
import { isPriceSourceError, type PriceSource, type SourceSnapshot } from "../sources/price-source.js";
import type { SourceOutcome } from "./update-report.js";

/** A source's fetched snapshot, or why there is none. */
export interface Collected {
  source: PriceSource;
  snapshot: SourceSnapshot | null;
  outcome: SourceOutcome;
}

/**
 * Fetches every source concurrently; a failure (thrown or timed out) becomes an outcome value,
 * never an exception, so one bad source cannot stop the others.
 */
export async function collectSnapshots(
  sources: readonly PriceSource[],
  clock: Clock,
  signal: AbortSignal | undefined,
  onDone: (outcome: SourceOutcome) => void,
): Promise<Collected[]> {
  return Promise.all(
    sources.map(async (source) => {
      const started = clock.now();
      const outcome: SourceOutcome = {
        id: source.id,
        ok: false,
        quotes: 0,
        skipped: 0,
        dropped: [],
        durationMs: 0,
      };
      let snapshot: SourceSnapshot | null = null;
      try {
        snapshot = await source.fetch(signal);
        outcome.ok = true;
        outcome.quotes = snapshot.quotes.length;
        outcome.skipped = snapshot.skipped?.length ?? 0;
      } catch (err) {
        outcome.reason = isPriceSourceError(err) ? err.reason : "error";
        outcome.error = err instanceof Error ? err.message : String(err);
      }
      outcome.durationMs = clock.now() - started;
      onDone(outcome);
      return { source, snapshot, outcome };
    }),
  );
}
