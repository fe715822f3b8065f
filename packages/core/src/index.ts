export {
  type BudgetFit,
  type BudgetFitCheck,
  type ModelOption,
  type ModelRecommendation,
  type ModelRecommendationRequest,
  modelRecommendationRequestSchema,
  recommendModels,
} from "./advice/recommend-models.js";
export {
  type AdviceItem,
  type AdviceQuery,
  type SpendAdvice,
  type SpendAdviceQuery,
  spendAdvice,
  spendAdviceQuerySchema,
} from "./advice/spend-advice.js";
export {
  type Budget,
  type BudgetInput,
  budgetInputSchema,
  ENFORCEMENTS,
  type Enforcement,
  isActiveAt,
  isClosedAt,
  type Limit,
  limitSchema,
  type Override,
  overrideSchema,
  type Scope,
  type ScopeValue,
  scopeSchema,
  scopeValueSchema,
  type Window,
  windowSchema,
} from "./budget/budget.js";
export { DIMENSIONS, type Dimension, type Dimensions, dimensionsSchema } from "./budget/dimensions.js";
export { type AliasRule, aliasRuleMatches, aliasRuleSchema } from "./catalog/alias-rules.js";
export type { Catalog, PriceQuery } from "./catalog/catalog-port.js";
export { type CatalogInput, createCatalog, type MemoryCatalog, versionAt } from "./catalog/create-catalog.js";
export {
  DEFAULT_PROVIDER_ALIASES,
  type NameCandidate,
  type NameStep,
  nameCandidates,
  providerIdOf,
} from "./catalog/model-name.js";
export type { IndexHit, IndexVia, ModelKey } from "./catalog/name-index.js";
export { type Resolution, type ResolutionRule, reasonOf } from "./catalog/resolution.js";
export {
  type CompiledPrice,
  type CompiledRate,
  type CostComponent,
  compilePrice,
  compilePriceAt,
  TOKEN_COMPONENTS,
  TOKEN_RATE_FALLBACKS,
  type TokenComponent,
  UNIT_COMPONENTS,
  type UnitComponent,
} from "./cost/compile-price.js";
export {
  type CostLine,
  type CostOptions,
  type CostResult,
  computeCost,
  computeCostNanoUsd,
} from "./cost/compute-cost.js";
export { inWindow, utcSeconds, windowAt, windowLabel } from "./cost/time-window.js";
export { displayCount, displayRelative, displayTime, displayUsd } from "./display/display.js";
export { type BudgetIndex, createBudgetIndex } from "./engine/budget-index.js";
export {
  type BudgetState,
  type BudgetStatus,
  type BudgetStatusPage,
  type BudgetStatusQuery,
  budgetPassesFilter,
  budgetStatusQuerySchema,
  stateOfUtilization,
} from "./engine/budget-statuses.js";
export {
  boundsAt,
  budgetMatches,
  type CompiledBudget,
  type CompiledLimit,
  capOf,
  compileBudget,
  counterRefAt,
  type LimitCap,
  partitionOf,
} from "./engine/compiled-budget.js";
export {
  type BudgetClient,
  type BudgetEngine,
  type BudgetEngineOptions,
  createBudgetEngine,
} from "./engine/engine.js";
export { createPricer, type Priced, type UnknownModelPolicy } from "./engine/pricing.js";
export type { CounterDrift } from "./engine/reconcile.js";
export { allEvents } from "./engine/report.js";
export {
  type CandidateOutcome,
  type CommitRequest,
  type CommitResult,
  commitRequestSchema,
  type Denial,
  type EngineEvent,
  type LimitAmounts,
  type LimitStatus,
  type RecordRequest,
  type ReportQuery,
  type ReportRow,
  type ReserveOptions,
  type ReserveRequest,
  type ReserveResult,
  type ReserveWarning,
  recordRequestSchema,
  reportQuerySchema,
  reserveRequestSchema,
  type StatusQuery,
  type StatusSummary,
  type StatusSummaryQuery,
  statusQuerySchema,
  statusSummaryQuerySchema,
} from "./engine/requests.js";
export {
  createRunOperations,
  type FinishRunInput,
  finishRunInputSchema,
  type ListRunsQuery,
  listRunsQuerySchema,
  type RunsPage,
  type StartRunInput,
  startRunInputSchema,
} from "./engine/runs.js";
export { BudgetError, type BudgetErrorCode, isBudgetError } from "./errors/budget-error.js";
export { validate } from "./errors/validate.js";
export { csvField, csvLine } from "./format/csv-field.js";
export {
  type ApiKeyRecord,
  createMemoryKeyStore,
  generateKey,
  hashKey,
  keyScopeSchema,
  ROLES,
  type Role,
} from "./keys/api-keys.js";
export { type CreateKeyInput, createApiKey, revokeApiKey } from "./keys/key-admin.js";
export {
  type AmountBounds,
  type AmountBoundsInput,
  assertCounterFits,
  assertEventWithin,
  assertLimitWithin,
  COUNTER_CEILING,
  DEFAULT_AMOUNT_BOUNDS,
  resolveAmountBounds,
} from "./limits/amount-bounds.js";
export {
  canonicalDecimal,
  compareDecimal,
  type Decimal,
  type DecimalString,
  decimalFromNumber,
  divRoundHalfUp,
  formatDecimal,
  mulDecimal,
  normalize,
  parseDecimal,
  unitsAtScale,
} from "./money/decimal.js";
export { formatUsd, NANO_PER_USD, type NanoUsd, toNanoUsd, usdToNano } from "./money/nano-usd.js";
export { type Clock, createManualClock, type ManualClock, systemClock } from "./ports/clock.js";
export { createSequentialIds, type IdSource, randomIds } from "./ports/ids.js";
export type {
  Alert,
  AlertStore,
  Amounts,
  ApiKeyStore,
  BudgetChanges,
  BudgetStore,
  CounterHold,
  CounterIncrement,
  CounterRef,
  CounterState,
  EventQuery,
  LedgerStore,
  OutboxStore,
  PendingPriceChange,
  PriceStore,
  PricingOutcome,
  Reservation,
  ReservationStatus,
  RunRecord,
  RunStarter,
  RunStore,
  SliceStatus,
  Store,
  StoreCommitResult,
  StoreReserveResult,
  UsageEvent,
  WebhookDelivery,
  WindowSum,
} from "./ports/store.js";
export {
  CAPABILITY_FLAGS,
  type CapabilityCheck,
  type CapabilityFlag,
  type CapabilityRequirements,
  capabilityRequirementsSchema,
  checkCapabilities,
  MODALITIES,
  type Modality,
  type ModelCapabilities,
  mergeCapabilities,
  modelCapabilitiesSchema,
} from "./price/capabilities.js";
export {
  type ModelEntry,
  type PriceVersion,
  priceVersionSchema,
  type Rate,
  type TieredRate,
  type TimeWindowRates,
  type TokenRates,
  tieredRateSchema,
  timeWindowRatesSchema,
  tokenRatesSchema,
  type UnitRates,
  unitRatesSchema,
} from "./price/price.js";
export { buildRunReport, type RunReport, runReportToCsv } from "./report/run-report.js";
export { buildUsageReport, type UsageReport, type UsageTotals } from "./report/usage-report.js";
export { addAmounts, holdFits, subtractAmounts, zeroAmounts } from "./store/amounts.js";
export {
  type BatchOp,
  checkHolds,
  counterDeltas,
  holdKeys,
  notActive,
  type Settled,
} from "./store/atomic-ops.js";
export {
  applyBatch,
  type BatchState,
  type BatchWrites,
  batchCounters,
  batchLookups,
  copyReservation,
  windowRefreshKeys,
} from "./store/atomic-plan.js";
export { createMemoryStore } from "./store/memory-store.js";
export {
  type AiSdkUsageOptions,
  type AiSdkUsageVersion,
  type AnthropicStreamUsage,
  type CallProvider,
  createAnthropicStreamUsage,
  detectAiSdkUsageVersion,
  type NormalizedUsage,
  type NormalizeOptions,
  type NormalizeUsageOptions,
  normalizeAiSdkUsage,
  normalizeAnthropicUsage,
  normalizeBedrockConverseUsage,
  normalizeGeminiInteractionsUsage,
  normalizeGeminiUsage,
  normalizeOpenAiUsage,
  normalizeOtelGenAiUsage,
  normalizeUsage,
  type OtelGenAiUsageOptions,
  providerOfBaseUrl,
  providerOfCall,
  UNVERIFIED_TAG,
  USAGE_SHAPES,
  type UsageShape,
} from "./usage/adapters/index.js";
export {
  addUsage,
  emptyUsage,
  inputSideTokens,
  makeUsage,
  totalTokens,
  USAGE_FIELDS,
  type Usage,
  usageInputSchema,
} from "./usage/usage.js";
export {
  isTimeZone,
  nonNegativeDecimalSchema,
  positiveDecimalSchema,
  positiveIntSchema,
  timeZoneSchema,
  tryParseDecimal,
} from "./validation/common-schemas.js";
export {
  applyReset,
  naturalBounds,
  rollingBucketMs,
  type WindowBounds,
  windowBounds,
} from "./window/window-bounds.js";
export { daysInMonth, type ZonedParts, zonedParts, zonedToUtc } from "./window/zoned-time.js";
export {
  apiKeyWireSchema,
  assistantAnswerSchema,
  bulkDecisionSchema,
  createdKeyWireSchema,
  modelRecommendationSchema,
  pendingPriceChangeSchema,
  priceUpdateReportSchema,
  priceVersionWireSchema,
  repriceSummarySchema,
  resolutionSchema,
  runReportSchema,
  runSchema,
  spendAdviceSchema,
} from "./wire/admin-schemas.js";
export { type Problem, problemWireSchema } from "./wire/problem.js";
export {
  alertSchema,
  budgetSchema,
  budgetStatusPageWireSchema,
  commitResultWireSchema,
  limitStatusWireSchema,
  pageWireSchema,
  pricedWireSchema,
  reconcileWireSchema,
  reportRowWireSchema,
  reservationWireSchema,
  reserveResultWireSchema,
  statusSummaryWireSchema,
  usageEventWireSchema,
} from "./wire/schemas.js";
export { USAGE_CSV_COLUMNS, usageEventToCsv } from "./wire/usage-csv.js";
export {
  type AmountsWire,
  amountsFromWire,
  amountsToWire,
  type BudgetStatusPageWire,
  type CommitResultWire,
  commitResultFromWire,
  commitResultToWire,
  type DenialWire,
  denialToWire,
  type LimitAmountsWire,
  type LimitStatusWire,
  limitAmountsFromWire,
  limitAmountsToWire,
  limitStatusFromWire,
  limitStatusToWire,
  MAX_BATCH_OPERATIONS,
  type PricedWire,
  pricedFromWire,
  pricedToWire,
  type ReconcileWire,
  type ReportRowWire,
  type ReservationWire,
  type ReserveResultWire,
  reconcileToWire,
  reportRowFromWire,
  reportRowToWire,
  reservationFromWire,
  reservationToWire,
  reserveResultFromWire,
  reserveResultToWire,
  type StatusSummaryWire,
  type UsageEventWire,
  usageEventFromWire,
  usageEventToWire,
} from "./wire/wire.js";
