import { createCatalog, type MemoryCatalog, type PriceVersion, type Store } from "@budget/core";
import { loadBundledPrices } from "@budget/prices";
import { loadServerModule } from "./server-module.js";

/**
 * The catalog of a local database, built as `budget serve` builds it (the server's own
 * `loadStoreCatalog` when it exports one): the store's price versions — seeded with the bundled
 * ones on first use, so every recorded cost names a version the store keeps — plus the bundled
 * model aliases. Costs recorded locally and through the server therefore match to the version.
 */
export async function loadLocalCatalog(store: Store): Promise<MemoryCatalog> {
  const server = await loadServerModule();
  if (server.loadStoreCatalog) return (await server.loadStoreCatalog(store)).catalog;
  const bundled = loadBundledPrices();
  let versions = await store.listPriceVersions();
  if (versions.length === 0) {
    await store.savePriceVersions([...bundled.versions], []);
    versions = await store.listPriceVersions();
  }
  return createCatalog({ versions, models: bundled.models });
}

/** Versions in force at `at`, sorted by provider then model. */
export function versionsInForce(versions: readonly PriceVersion[], at: number): PriceVersion[] {
  return versions
    .filter((v) => v.effectiveFrom <= at && (v.effectiveTo === null || v.effectiveTo > at))
    .sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
}
