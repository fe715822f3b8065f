import type { AliasRule, MemoryCatalog, PriceVersion, Store } from "@budget/core";
import { loadStoreCatalog } from "@budget/prices";

/**
 * The catalog of a local database, built by `loadStoreCatalog` as `budget serve` builds it: the store's
 * price versions (seeded with the bundled ones on first use, so every recorded cost names a
 * version the store keeps) plus the bundled model aliases and the configured alias rules. Costs recorded locally and through
 * `budget serve` therefore match to the version.
 */
export async function loadLocalCatalog(
  store: Store,
  aliasRules: readonly AliasRule[] = [],
): Promise<MemoryCatalog> {
  return (await loadStoreCatalog(store, { aliasRules })).catalog;
}

/** Versions in force at `at`, sorted by provider then model. */
export function versionsInForce(versions: readonly PriceVersion[], at: number): PriceVersion[] {
  return versions
    .filter((v) => v.effectiveFrom <= at && (v.effectiveTo === null || v.effectiveTo > at))
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
}
