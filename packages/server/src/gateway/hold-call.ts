import {
  type BudgetExceededError,
  type CallHold,
  type CallInfo,
  holdForCall,
  isBudgetExceededError,
} from "@budget/calls";
import { type Dimensions, inputSideTokens, type Usage } from "@budget/core";
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
  // Clamp instead of deny: the engine holds the most output that fits, at least the minimum per choice.
  const clamp = deps.config.clampMaxTokens;
  const minOutputTokens = deps.config.minClampTokens * input.choices;
  try {
    const hold = await holdForCall(
      clamp ? { ...options, minOutputTokens } : options,
      input.call,
      input.estimate,
    );
    const granted = hold.grantedOutputTokens;
    return {
      ok: true,
      hold,
      budgetIds,
      clampedTo: granted === null ? null : Math.floor(granted / input.choices),
    };
  } catch (err) {
    if (isBudgetExceededError(err)) return { ok: false, error: err };
    throw err;
  }
}
