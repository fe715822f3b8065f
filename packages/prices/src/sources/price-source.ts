import { BudgetError, isBudgetError, type PriceVersion } from "@budget/core";

/**
 * One model's prices as a source quotes them: a {@link PriceVersion} without the identity and
 * effective dates the updater assigns when it applies the quote.
 */
export interface PriceQuote {
  provider: string;
  model: string;
  tokenRates: PriceVersion["tokenRates"];
  unitRates: PriceVersion["unitRates"];
  batchMultiplier?: string;
  /** Time-of-day windows whose rates replace the token and unit rates (see `PriceVersion.schedule`). */
  schedule?: PriceVersion["schedule"];
  /** What the source publishes about the model (context window, tools, caching…); absent: unknown. */
  capabilities?: PriceVersion["capabilities"];
  /** Other names the source lists for the same model (e.g. a prefixed LiteLLM key). */
  aliases?: string[];
}

/** An entry a source left out, and why (unpriced, duplicate, …). */
export interface SkippedEntry {
  key: string;
  reason: string;
  /** For a duplicate key: `provider/model` of the entry kept. */
  duplicateOf?: string;
  /** For a duplicate key: true when its prices differ from the entry kept. */
  conflicting?: boolean;
}

/** Everything one source said at one instant. */
export interface SourceSnapshot {
  sourceId: string;
  /** Epoch ms. */
  fetchedAt: number;
  quotes: PriceQuote[];
  /** Entries deliberately not turned into quotes (not a failure). */
  skipped?: SkippedEntry[];
}

/**
 * A feed of prices (bundled data, LiteLLM, OpenRouter, genai-prices, a file, manual overrides).
 * `fetch` resolves with a normalized snapshot or rejects with a {@link PriceSourceError}.
 */
export interface PriceSource {
  /** Stable id, recorded as `PriceVersion.source`. */
  id: string;
  /** 0..1: how far the updater may rely on this source alone (manual = 1). */
  trust: number;
  /**
   * Price fields this source never carries (`tokenRates.cacheWrite1h`, `batchMultiplier`): an
   * update keeps their current value. Every other field a quote lacks is removed from the model.
   */
  partialFields?: readonly string[];
  fetch(signal?: AbortSignal): Promise<SourceSnapshot>;
}

/** Why a source could not deliver a usable snapshot. */
export type SourceFailureReason = (typeof SOURCE_FAILURE_REASONS)[number];

const SOURCE_FAILURE_REASONS = [
  "timeout",
  "too_large",
  "http_status",
  "network",
  "invalid_json",
  "invalid_feed",
  "aborted",
] as const;
const REASONS: ReadonlySet<unknown> = new Set(SOURCE_FAILURE_REASONS);

/** A source failure: a `BudgetError("price_source_failed")` naming the source and the reason. */
export class PriceSourceError extends BudgetError {
  constructor(
    readonly sourceId: string,
    readonly reason: SourceFailureReason,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super("price_source_failed", `${sourceId}: ${message}`, { ...details, sourceId, reason });
  }
}

/**
 * True when `err` is a {@link PriceSourceError}: by its `price_source_failed` code, source and
 * reason, not `instanceof` (a source built on a second copy of this package counts too).
 */
export function isPriceSourceError(err: unknown): err is PriceSourceError {
  if (!isBudgetError(err, "price_source_failed")) return false;
  const { sourceId, reason } = err as { sourceId?: unknown; reason?: unknown };
  return typeof sourceId === "string" && REASONS.has(reason);
}

/** The `fetch` signature sources accept, so tests and hosts can inject their own. */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;
