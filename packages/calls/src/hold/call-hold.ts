import { type NormalizedUsage, UNVERIFIED_TAG, type Usage } from "@budget/core";
import { BudgetExceededError } from "./budget-exceeded-error.js";
import type { CallInfo, HoldOptions } from "./hold-options.js";

/**
 * Usage a provider reported: plain usage, or an adapter's {@link NormalizedUsage}, whose
 * `unverified` fields tag the event {@link UNVERIFIED_TAG} and whose `others` (usage billed on
 * other models within the call, e.g. an Anthropic advisor) are recorded as events of their own.
 */
export type ReportedUsage = Partial<Usage> | NormalizedUsage;

function isNormalized(r: ReportedUsage): r is NormalizedUsage {
  return typeof (r as { usage?: unknown }).usage === "object";
}

/** A reservation held for one provider call, settled exactly once. */
export interface CallHold {
  readonly reservationId: string;
  /** The model to call: the requested one, the candidate the reservation chose, or the soft limit's fallback. */
  readonly model: string;
  /** Whether the reservation substituted another model (a candidate or a fallback). */
  readonly fellBack: boolean;
  /** With `minOutputTokens`: the output tokens held when fewer than estimated (cap the call to them); else null. */
  readonly grantedOutputTokens: number | null;
  /**
   * Commits the usage the provider reported, under `model` when another model than reserved was
   * called; other models' usage of the same call is recorded beside it (idempotently). Without
   * any, the call was still billed: commits `estimate()` tagged {@link ESTIMATED_TAG} and tells
   * `onEstimatedUsage`. A second settle is ignored.
   */
  commit(reported: ReportedUsage | null, estimate: () => Partial<Usage>, model?: string): Promise<void>;
  /**
   * Settles a call whose reported usage could not be read (an inconsistent body, say): it was
   * billed, so `estimate()` is committed tagged {@link ESTIMATED_TAG} and {@link UNVERIFIED_TAG};
   * then the error goes to `onSettleError`, or is thrown when there is none. Never silent.
   */
  commitUnreadable(error: unknown, estimate: () => Partial<Usage>, model?: string): Promise<void>;
  /**
   * Drops the hold unused, after a call that failed (nothing billed). A release failure goes to
   * `onSettleError`, never hiding the call's own error. A second settle is ignored.
   */
  release(): Promise<void>;
  readonly settled: boolean;
}

/** The tag on the ledger event of a commit whose usage was estimated (the provider reported none). */
export const ESTIMATED_TAG = "estimated";

/** The call's dimensions: the configured ones, with provider and model from the call when unset. */
function dimensionsFor(options: HoldOptions, call: CallInfo) {
  const base =
    typeof options.dimensions === "function" ? options.dimensions(call) : (options.dimensions ?? {});
  return { ...base, provider: base.provider ?? call.provider, model: call.model };
}

/** Records the usage a call billed on other models, one event each, keyed to the reservation. */
async function recordOthers(
  options: HoldOptions,
  call: CallInfo,
  reservationId: string,
  others: readonly NormalizedUsage[],
): Promise<void> {
  if (others.length === 0) return;
  const base = dimensionsFor(options, call);
  for (const [i, other] of others.entries()) {
    const tags = [...(base.tags ?? []), ...(other.unverified ? [UNVERIFIED_TAG] : [])];
    await options.client.record({
      dimensions: { ...base, model: other.model ?? call.model, ...(tags.length > 0 ? { tags } : {}) },
      usage: other.usage,
      idempotencyKey: `commit:${reservationId}:other:${i}`,
    });
  }
}

/**
 * Reserves the estimate before a call. A denial throws {@link BudgetExceededError}, so the
 * provider is never called; warnings go to `onWarning`.
 */
export async function holdForCall(
  options: HoldOptions,
  call: CallInfo,
  estimate: Partial<Usage>,
): Promise<CallHold> {
  const extra = typeof options.candidates === "function" ? options.candidates(call) : options.candidates;
  const candidates = extra?.length ? [call.model, ...extra.filter((m) => m !== call.model)] : undefined;
  const min = options.minOutputTokens;
  // A partial grant shrinks one model's output; with candidates the engine picks a model instead.
  const partial = !candidates && min !== undefined && min <= (estimate.outputTokens ?? 0);
  const result = await options.client.reserve({
    dimensions: dimensionsFor(options, call),
    estimate,
    ...(candidates ? { candidates, ...(options.requires ? { requires: options.requires } : {}) } : {}),
    ...(options.priority ? { priority: options.priority } : {}),
    ...(options.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {}),
    ...(partial ? { minOutputTokens: min } : {}),
  });
  if (result.status === "denied") throw new BudgetExceededError(result.denial);
  const granted = result.grantedOutputTokens;
  if (result.warnings.length > 0) options.onWarning?.(result.warnings, call);
  let settled = false;
  // Settling must not fail the caller's call silently: report to onSettleError, else rethrow.
  // Resolves true when this settle reached the engine (not a repeat, not a reported failure).
  const settle = async (work: () => Promise<unknown>) => {
    if (settled) return false;
    settled = true;
    try {
      await work();
      return true;
    } catch (err) {
      if (!options.onSettleError) throw err;
      options.onSettleError(err, call);
      return false;
    }
  };
  const { reservationId } = result;
  const model = result.model ?? result.fallbackModel ?? call.model;
  return {
    reservationId,
    model,
    fellBack: model !== call.model,
    grantedOutputTokens: granted !== undefined && granted < (estimate.outputTokens ?? 0) ? granted : null,
    get settled() {
      return settled;
    },
    async commit(reported, estimate, model) {
      const normalized = reported && isNormalized(reported) ? reported : null;
      const plain = reported && !isNormalized(reported) ? reported : null;
      const usage: Partial<Usage> = normalized ? normalized.usage : (plain ?? estimate());
      const tag = !reported ? [ESTIMATED_TAG] : normalized?.unverified ? [UNVERIFIED_TAG] : [];
      const tags = tag.length > 0 ? { tags: tag } : {};
      const done = await settle(async () => {
        await options.client.commit({ reservationId, usage, ...(model ? { model } : {}), ...tags });
        await recordOthers(options, call, reservationId, normalized?.others ?? []);
      });
      if (done && !reported) options.onEstimatedUsage?.(usage, call);
    },
    async commitUnreadable(error, estimate, model) {
      const usage = estimate();
      const tags = [ESTIMATED_TAG, UNVERIFIED_TAG];
      const done = await settle(() =>
        options.client.commit({ reservationId, usage, ...(model ? { model } : {}), tags }),
      );
      if (done) options.onEstimatedUsage?.(usage, call);
      if (!options.onSettleError) throw error;
      options.onSettleError(error, call);
    },
    async release() {
      try {
        await settle(() => options.client.release(reservationId));
      } catch (err) {
        options.onSettleError?.(err, call);
      }
    },
  };
}
