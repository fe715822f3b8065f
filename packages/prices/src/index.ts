export { LISTED_PROVIDERS } from "./identity/canonical-providers.js";
export { canonicalizeQuotes } from "./identity/canonicalize-quotes.js";
export { identityCatalog } from "./identity/identity-catalog.js";
export { type RepriceSummary, repriceRange } from "./reprice/reprice-range.js";
export { createBundledCatalog, loadBundledPrices } from "./sources/bundled.js";
export type { PriceSource, SourceSnapshot } from "./sources/price-source.js";
export {
  createPriceSource,
  isRemotePriceSourceType,
  REMOTE_PRICE_SOURCE_TYPES,
} from "./sources/source-registry.js";
export { loadStoreCatalog } from "./sources/store-catalog.js";
export { diffCatalog, type FieldChange } from "./updater/diff-catalog.js";
export { createPriceUpdater } from "./updater/price-updater.js";
export { updatePolicySchema } from "./updater/update-policy.js";
export type { UpdateProgress, UpdateReport } from "./updater/update-report.js";
