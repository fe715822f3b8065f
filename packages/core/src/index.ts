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
  type Enforcement,
  type Limit,
  limitSchema,
  type Override,
  type Scope,
  type Window,
} from "./budget/budget.js";
export { DIMENSIONS, type Dimension, type Dimensions, dimensionsSchema } from "./budget/dimensions.js";
export { type AliasRule, aliasRuleSchema } from "./catalog/alias-rules.js";
export type { Catalog } from "./catalog/catalog-port.js";
export { createCatalog, type MemoryCatalog } from "./catalog/create-catalog.js";
export { providerIdOf } from "./catalog/model-name.js";
export type { Resolution } from "./catalog/resolution.js";
export { computeCost, computeCostNanoUsd } from "./cost/compute-cost.js";
export { utcSeconds } from "./cost/time-window.js";
export { type BudgetStatus, budgetPassesFilter, budgetStatusQuerySchema } from "./engine/budget-statuses.js";
export { compileBudget, partitionOf } from "./engine/compiled-budget.js";
export {
  type BudgetClient,
  type BudgetEngine,
  type BudgetEngineOptions,
  createBudgetEngine,
} from "./engine/engine.js";
export type { CounterDrift } from "./engine/reconcile.js";
export { allEvents } from "./engine/report.js";
export {
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
} from "./engine/requests.js";
export {
  type FinishRunInput,
  finishRunInputSchema,
  type RunsPage,
  type StartRunInput,
  startRunInputSchema,
} from "./engine/runs.js";
export { BudgetError, type BudgetErrorCode, isBudgetError } from "./errors/budget-error.js";
export { validate } from "./errors/validate.js";
export { csvField } from "./format/csv-field.js";
export {
  type ApiKeyRecord,
  createMemoryKeyStore,
  hashKey,
  keyScopeSchema,
  ROLES,
  type Role,
} from "./keys/api-keys.js";
export { type CreateKeyInput, createApiKey, revokeApiKey } from "./keys/key-admin.js";
export { type AmountBounds, type AmountBoundsInput, resolveAmountBounds } from "./limits/amount-bounds.js";
export {
  canonicalDecimal,
  compareDecimal,
  type Decimal,
  formatDecimal,
  mulDecimal,
  normalize,
  parseDecimal,
} from "./money/decimal.js";
export { formatUsd, type NanoUsd, usdToNano } from "./money/nano-usd.js";
export { type Clock, createManualClock, type ManualClock, systemClock } from "./ports/clock.js";
export { createSequentialIds, type IdSource, randomIds } from "./ports/ids.js";
export type {
  Alert,
  AlertStore,
  Amounts,
  ApiKeyStore,
  BudgetStore,
  EventQuery,
  LedgerStore,
  OutboxStore,
  PendingPriceChange,
  PriceStore,
  Reservation,
  RunRecord,
  RunStarter,
  RunStore,
  SliceStatus,
  Store,
  UsageEvent,
  WebhookDelivery,
} from "./ports/store.js";
export {
  type CapabilityFlag,
  type CapabilityRequirements,
  capabilityRequirementsSchema,
  checkCapabilities,
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
  type TokenRates,
  type UnitRates,
} from "./price/price.js";
export { buildRunReport, runReportToCsv } from "./report/run-report.js";
export { buildUsageReport, type UsageReport } from "./report/usage-report.js";
export type { BatchOp, Settled } from "./store/atomic-ops.js";
export { createMemoryStore } from "./store/memory-store.js";
export {
  type AiSdkUsageOptions,
  type AiSdkUsageVersion,
  type AnthropicStreamUsage,
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
  emptyUsage,
  inputSideTokens,
  makeUsage,
  totalTokens,
  type Usage,
  usageInputSchema,
} from "./usage/usage.js";
export {
  positiveDecimalSchema,
  positiveIntSchema,
  timeZoneSchema,
  tryParseDecimal,
} from "./validation/common-schemas.js";
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
  amountsToWire,
  type BudgetStatusPageWire,
  type CommitResultWire,
  commitResultFromWire,
  commitResultToWire,
  denialToWire,
  type LimitAmountsWire,
  type LimitStatusWire,
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
