import { type Dimensions, inputSideTokens, type Usage } from "@budget/core";
import {
  type BudgetExceededError,
  type CallHold,
  type CallInfo,
  holdForCall,
  isBudgetExceededError,
} from "@budget/integrations/call-guard";
import { maxOutputTokensOf } from "@budget/integrations/estimate";
import type { GatewayDeps } from "./gateway-deps.js";
import { settlingClient } from "./settling-client.js";
import type { Upstream } from "./upstream.js";

/** A reservation for a gateway call, or the denial that refused it. */
export type HoldOutcome =
  | { ok: true; hold: CallHold; budgetIds: readonly string[]; clampedTo: number | null }
  | { ok: false; error: BudgetExceededError };

/**
 * Reserves a gateway call on every matching budget. With `clampMaxTokens`, a call denied by a
 * token limit is tried once more with its output cap lowered to what the limit has left, when that
 * is at least `minClampTokens`.
 */
export async function holdCall(
  deps: GatewayDeps,
  upstream: Upstream,
  input: {
    call: CallInfo;
    dimensions: Dimensions;
    estimate: Pick<Usage, "inputTokens" | "outputTokens">;
    /** Choices the call asks for (`n`): each may use the whole output cap. */
    choices: number;
    /** Other models the call may use, in order after its own (`x-budget-candidates`). */
    candidates?: string[];
  },
): Promise<HoldOutcome> {
  let budgetIds: readonly string[] = [];
  let reserved: Dimensions = input.dimensions;
  const client = settlingClient(
    deps.engine,
    (result, estimated) => {
      const u = result.event.usage;
      deps.metrics.settled(
        upstream.id,
        { inputTokens: inputSideTokens(u), outputTokens: u.outputTokens + u.outputAudioTokens },
        result.event.costNanoUsd,
        estimated,
      );
    },
    () => reserved,
  );
  const reserve = client.reserve;
  client.reserve = async (req) => {
    reserved = req.dimensions;
    const r = await reserve(req);
    if (r.status === "allowed") {
      budgetIds = r.budgetIds;
      const model = r.model ?? r.fallbackModel;
      if (model) reserved = { ...reserved, model };
    }
    return r;
  };
  const options = {
    client,
    dimensions: input.dimensions,
    ...(input.candidates?.length ? { candidates: input.candidates } : {}),
    ...(deps.config.reservationTtlMs !== undefined ? { ttlMs: deps.config.reservationTtlMs } : {}),
    onSettleError: (err: unknown) => {
      deps.metrics.settleFailed(upstream.id);
      deps.logger.warn(
        { upstream: upstream.id, err: (err as Error)?.message },
        "gateway: settling a call failed",
      );
    },
  };
  const attempt = async (estimate: Partial<Usage>) => {
    try {
      return { ok: true as const, hold: await holdForCall(options, input.call, estimate) };
    } catch (err) {
      if (isBudgetExceededError(err)) return { ok: false as const, error: err };
      throw err;
    }
  };
  const first = await attempt(input.estimate);
  if (first.ok) return { ...first, budgetIds, clampedTo: null };
  const clamped = clampTo(deps, first.error, input.estimate, input.choices);
  if (clamped === null) return first;
  const second = await attempt({ ...input.estimate, outputTokens: clamped * input.choices });
  return second.ok ? { ...second, budgetIds, clampedTo: clamped } : first;
}

/** The output cap (per choice) that fits what a token limit has left, or null when clamping does not apply. */
function clampTo(
  deps: GatewayDeps,
  error: BudgetExceededError,
  estimate: Pick<Usage, "inputTokens" | "outputTokens">,
  choices: number,
): number | null {
  if (!deps.config.clampMaxTokens || error.reason !== "limit_exceeded") return null;
  const left = error.remaining?.tokens;
  if (left === undefined) return null;
  const cap = Math.floor((left - estimate.inputTokens) / choices);
  return cap >= deps.config.minClampTokens && cap * choices < estimate.outputTokens ? cap : null;
}

/** `params` with its output cap set to `cap`, in the field the request used (else `field`). */
export function withOutputCap(params: Record<string, unknown>, cap: number, field: string) {
  const used = ["max_completion_tokens", "max_output_tokens", "max_tokens"].find((k) => k in params);
  const out = { ...params, [used ?? field]: cap };
  return maxOutputTokensOf(out) === cap ? out : { ...out, [field]: cap };
}
