import { createCatalog, type MemoryCatalog, type PriceVersion } from "@budget/core";
import { loadBundledPrices } from "../sources/bundled.js";

/**
 * The catalog quotes are mapped against: the stored versions plus the bundled model entries
 * (their aliases and prefixes), so a feed's name lands on the model costs resolve it to.
 */
export function identityCatalog(versions: readonly PriceVersion[]): MemoryCatalog {
  return createCatalog({ versions, models: loadBundledPrices().models });
}
