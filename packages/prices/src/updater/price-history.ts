import type { PendingPriceChange, PriceVersion, Store } from "@budget/core";
import { type FieldChange, fieldChanges } from "./diff-catalog.js";

/** One step of a model's price timeline. */
export interface HistoryEntry {
  version: PriceVersion;
  /** What changed from the previous version of the same provider (empty for the first). */
  changes: FieldChange[];
}

/** A model's price timeline, oldest first, with the changes still awaiting a decision. */
export interface PriceHistory {
  entries: HistoryEntry[];
  pending: PendingPriceChange[];
}

/**
 * The timeline of a model's prices: every version (closed ones included) with its source and
 * effective interval, and the field changes from the version before it.
 *
 * @example await priceHistory(store, { provider: "openai", model: "gpt-4o" })
 */
export async function priceHistory(
  store: Store,
  query: { provider?: string | undefined; model: string },
): Promise<PriceHistory> {
  const filter =
    query.provider === undefined ? { model: query.model } : { provider: query.provider, model: query.model };
  const versions = (await store.listPriceVersions(filter)).sort(
    (a, b) =>
      a.provider.localeCompare(b.provider) || a.effectiveFrom - b.effectiveFrom || a.id.localeCompare(b.id),
  );
  const entries: HistoryEntry[] = [];
  let previous: PriceVersion | null = null;
  for (const version of versions) {
    const sameModel = previous !== null && previous.provider === version.provider;
    entries.push({ version, changes: sameModel && previous ? fieldChanges(previous, version) : [] });
    previous = version;
  }
  const pending = (await store.listPendingPriceChanges()).filter(
    (p) => p.model === query.model && (query.provider === undefined || p.provider === query.provider),
  );
  return { entries, pending };
}
