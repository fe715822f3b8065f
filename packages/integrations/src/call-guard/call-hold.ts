import type { Usage } from "@budget/core";
import { BudgetExceededError } from "../errors.js";
import type { BudgetGuardOptions, CallInfo } from "./guard-options.js";

/** A reservation held for one provider call, settled exactly once. */
export interface CallHold {
  readonly reservationId: string;
  /** The model to call: the requested one, or the soft limit's fallback. */
  readonly model: string;
  /** Whether the reservation substituted a fallback model. */
  readonly fellBack: boolean;
  /** Commits the reported usage, under `model` when another model than reserved was called (a second settle is ignored). */
  commit(usage: Partial<Usage>, model?: string): Promise<void>;
  /** Drops the hold unused (a second settle is ignored). */
  release(): Promise<void>;
  readonly settled: boolean;
}

/** The call's dimensions: the configured ones, with provider and model from the call when unset. */
function dimensionsFor(options: BudgetGuardOptions, call: CallInfo) {
  const base =
    typeof options.dimensions === "function" ? options.dimensions(call) : (options.dimensions ?? {});
  return { ...base, provider: base.provider ?? call.provider, model: call.model };
}

/**
 * Reserves the estimate before a call. A denial throws {@link BudgetExceededError}, so the
 * provider is never called; warnings go to `onWarning`.
 */
export async function holdForCall(
  options: BudgetGuardOptions,
  call: CallInfo,
  estimate: Partial<Usage>,
): Promise<CallHold> {
  const result = await options.client.reserve({
    dimensions: dimensionsFor(options, call),
    estimate,
    ...(options.priority ? { priority: options.priority } : {}),
    ...(options.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {}),
  });
  if (result.status === "denied") throw new BudgetExceededError(result.denial);
  if (result.warnings.length > 0) options.onWarning?.(result.warnings, call);
  let settled = false;
  // Settling must not fail the caller's call silently: report to onSettleError, else rethrow.
  const settle = async (work: () => Promise<unknown>) => {
    if (settled) return;
    settled = true;
    try {
      await work();
    } catch (err) {
      if (!options.onSettleError) throw err;
      options.onSettleError(err, call);
    }
  };
  const { reservationId } = result;
  return {
    reservationId,
    model: result.fallbackModel ?? call.model,
    fellBack: result.fallbackModel !== null,
    get settled() {
      return settled;
    },
    commit: (usage, model) =>
      settle(() => options.client.commit({ reservationId, usage, ...(model ? { model } : {}) })),
    release: () => settle(() => options.client.release(reservationId)),
  };
}
