export { canonicalProvider, LISTED_PROVIDERS } from "./identity/canonical-providers.js";
export {
  type CanonicalizeOptions,
  type CanonicalQuotes,
  canonicalizeQuotes,
  type DuplicateQuote,
} from "./identity/canonicalize-quotes.js";
export { identityCatalog } from "./identity/identity-catalog.js";
export { type ApplyRepriceOptions, type ApplyRepriceResult, applyReprice } from "./reprice/apply-reprice.js";
export {
  type PlanRepriceOptions,
  planReprice,
  type RepriceLine,
  type RepricePlan,
  type RepriceTarget,
} from "./reprice/plan-reprice.js";
export { type RepriceRangeInput, type RepriceSummary, repriceRange } from "./reprice/reprice-range.js";
export { BUNDLED_SOURCE_ID, createBundledCatalog, loadBundledPrices } from "./sources/bundled.js";
export {
  type ConversionNote,
  type ConvertedPrices,
  convertGenaiProviders,
  matchNames,
} from "./sources/bundled-convert.js";
export { BUNDLED_PROVIDERS } from "./sources/bundled-providers.js";
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_TIMEOUT_MS,
  type FetchJsonOptions,
  fetchJson,
  parseJson,
} from "./sources/fetch-json.js";
export { createFileSource, type FileSourceOptions, parseQuoteFile } from "./sources/file-source.js";
export {
  createGenaiPricesRemoteSource,
  GENAI_PRICES_URL,
  type GenaiPricesRemoteSourceOptions,
  normalizeGenaiProviders,
} from "./sources/genai-remote-source.js";
export { type LitellmNormalized, normalizeLitellm } from "./sources/litellm-normalize.js";
export { createLitellmSource, LITELLM_URL, type LitellmSourceOptions } from "./sources/litellm-source.js";
export { createManualSource, type ManualSource, type ManualSourceOptions } from "./sources/manual-source.js";
export {
  createOpenRouterSource,
  normalizeOpenRouter,
  OPENROUTER_PARTIAL_FIELDS,
  OPENROUTER_URL,
  type OpenRouterSourceOptions,
} from "./sources/openrouter-source.js";
export { divideExact, perTokenToPerMillion, perUnit } from "./sources/per-million.js";
export {
  type FetchLike,
  isPriceSourceError,
  type PriceQuote,
  type PriceSource,
  PriceSourceError,
  type SkippedEntry,
  type SourceFailureReason,
  type SourceSnapshot,
} from "./sources/price-source.js";
export { priceFileSchema, priceQuoteSchema } from "./sources/quote-schema.js";
export {
  createPriceSource,
  isRemotePriceSourceType,
  type PriceSourceSpec,
  REMOTE_PRICE_SOURCE_TYPES,
  type RemotePriceSourceType,
} from "./sources/source-registry.js";
export { loadStoreCatalog } from "./sources/store-catalog.js";
export {
  type ApplyContext,
  applyDecisions,
  type ModelDecision,
  versionOf,
} from "./updater/apply-decisions.js";
export { type Candidate, type ChangeDecision, decideChange, type Evidence } from "./updater/decide-change.js";
export {
  type CatalogDiff,
  diffCatalog,
  type FieldChange,
  fieldChanges,
  modelKey,
} from "./updater/diff-catalog.js";
export { type HistoryEntry, type PriceHistory, priceHistory } from "./updater/price-history.js";
export {
  type BulkDecision,
  createPriceUpdater,
  matchesPending,
  type PendingFilter,
  type PriceUpdater,
  type PriceUpdaterOptions,
} from "./updater/price-updater.js";
export {
  baseOf,
  changePct,
  mergeOver,
  type PriceBody,
  type PriceField,
  priceFields,
  pricesOf,
  rateKey,
  ratesAgree,
} from "./updater/rate-fields.js";
export { handleRemovals, type RemovalContext, type RemovedModel } from "./updater/removals.js";
export { type UpdatePolicy, type UpdatePolicyInput, updatePolicySchema } from "./updater/update-policy.js";
export type {
  AppliedChange,
  QuarantinedChange,
  RejectedSource,
  SourceOutcome,
  UpdateProgress,
  UpdateReport,
} from "./updater/update-report.js";
export {
  type AbsurdQuote,
  findAbsurd,
  type SnapshotVerdict,
  validateSnapshot,
} from "./updater/validate-snapshot.js";
