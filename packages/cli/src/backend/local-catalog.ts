import type { MemoryCatalog, PriceVersion, Store } from "@budget/core";
import { createBundledCatalog } from "@budget/prices";

/**
 * The catalog of a local database: the bundled prices plus every version the updater (or a
 * manual override) saved in the store, which win where they overlap in time.
 */
export async function loadLocalCatalog(store: Store): Promise<MemoryCatalog> {
  const saved = await store.listPriceVersions();
  const bundled = createBundledCatalog();
  return saved.length > 0 ? bundled.withVersions(saved) : bundled;
}

/** Versions in force at `at`, sorted by provider then model. */
export function versionsInForce(versions: readonly PriceVersion[], at: number): PriceVersion[] {
  return versions
    .filter((v) => v.effectiveFrom <= at && (v.effectiveTo === null || v.effectiveTo > at))
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
}
