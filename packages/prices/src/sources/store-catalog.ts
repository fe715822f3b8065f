import { type AliasRule, createCatalog, type MemoryCatalog, type Store } from "@budget/core";
import { loadBundledPrices } from "./bundled.js";

/**
 * The catalog the engine prices with: the store's price versions (seeded with the bundled ones on
 * first start, so every cost names a version the store keeps) plus the bundled model aliases and
 * the configured alias rules.
 */
export async function loadStoreCatalog(
  store: Store,
  options: { aliasRules?: readonly AliasRule[] } = {},
): Promise<{ catalog: MemoryCatalog; seeded: number }> {
  const bundled = loadBundledPrices();
  let versions = await store.listPriceVersions();
  let seeded = 0;
  if (versions.length === 0) {
    await store.savePriceVersions([...bundled.versions], []);
    seeded = bundled.versions.length;
    versions = await store.listPriceVersions();
  }
  return {
    catalog: createCatalog({ versions, models: bundled.models, aliasRules: options.aliasRules ?? [] }),
    seeded,
  };
}
