import { createCatalog, type MemoryCatalog } from "@budget/core";
import { type ConvertedPrices, convertGenaiProviders } from "./bundled-convert.js";
import { BUNDLED_PROVIDERS } from "./bundled-providers.js";

/** The source id of bundled prices. */
export const BUNDLED_SOURCE_ID = "bundled";

let converted: ConvertedPrices | undefined;

/**
 * The price data shipped with Budget (from `@pydantic/genai-prices`) as effective-dated versions
 * (ids `bundled:<provider>:<model>:<effectiveFrom ISO date>`), model entries with aliases and
 * prefixes, and notes on what could not be converted. Converted once; treat it as read-only.
 *
 * @example const { versions, models } = loadBundledPrices();
 */
export function loadBundledPrices(): ConvertedPrices {
  converted ??= convertGenaiProviders(BUNDLED_PROVIDERS, BUNDLED_SOURCE_ID);
  return converted;
}

/**
 * A catalog of the bundled prices: the default when no other source has been applied.
 *
 * @example createBundledCatalog().resolve({ model: "claude-3-5-sonnet-20241022", at: Date.now() })
 */
export function createBundledCatalog(): MemoryCatalog {
  const { versions, models } = loadBundledPrices();
  return createCatalog({ versions, models });
}
