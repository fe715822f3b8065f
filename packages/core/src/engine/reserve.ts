import type { z } from "zod";
import type { Dimensions } from "../budget/dimensions.js";
import { assertEventWithin } from "../limits/amount-bounds.js";
import type { Amounts, CounterHold, Reservation } from "../ports/store.js";
import { makeUsage } from "../usage/usage.js";
import { type CompiledBudget, capOf, counterRefAt, partitionOf, windowKeysAt } from "./compiled-budget.js";
import { amountsOf, type EngineContext, matchingBudgets } from "./context.js";
import { denialFor, raiseDenialAlert, unknownModelDenial } from "./denial.js";
import { withResolvedProvider } from "./pricing.js";
import type { ReserveResult, ReserveWarning, reserveRequestSchema } from "./requests.js";

/** A reserve request after validation. */
export type ParsedReserve = z.output<typeof reserveRequestSchema>;

interface HoldPlan {
  holds: CounterHold[];
  /** For each hold: where it came from, to name a denial. */
  origins: { budgetIndex: number; limitIndex: number; partition: string }[];
  budgets: CompiledBudget[];
  warnLimits: {
    budgetId: string;
    limitId: string;
    enforcement: string;
    keys: string[];
    cap: ReturnType<typeof capOf>;
  }[];
}

/** Holds for every limit of the matching `budgets`; soft and hard limits are capped. */
function planHolds(
  budgets: CompiledBudget[],
  dims: Dimensions,
  amounts: Amounts,
  critical: boolean,
  at: number,
) {
  const plan: HoldPlan = { holds: [], origins: [], budgets, warnLimits: [] };
  budgets.forEach((b, budgetIndex) => {
    const partition = partitionOf(b, dims);
    b.limits.forEach((l, limitIndex) => {
      const counter = counterRefAt(b, l, partition, at);
      const enforcement = l.limit.enforcement;
      const blocks = enforcement === "hard_limit" || (enforcement === "soft_limit" && !critical);
      const hold: CounterHold = { counter, amounts };
      const keys = windowKeysAt(b, l, partition, at);
      if (blocks) hold.cap = { sumKeys: keys, ...capOf(l, critical) };
      else if (enforcement !== "ignore") {
        plan.warnLimits.push({
          budgetId: b.budget.id,
          limitId: l.limit.id,
          enforcement,
          keys,
          cap: capOf(l, false),
        });
      }
      plan.holds.push(hold);
      plan.origins.push({ budgetIndex, limitIndex, partition });
    });
  });
  return plan;
}

/**
 * Reserve: price the estimate, then hold it on every matching counter — all or nothing. A soft
 * limit that would be exceeded is retried once with its fallback model.
 */
export async function reserve(ctx: EngineContext, req: ParsedReserve): Promise<ReserveResult> {
  const at = ctx.clock.now();
  const first = await attempt(ctx, req, req.dimensions, at);
  if (first.result.status === "allowed") return first.result;
  if (first.fallbackModel) {
    const dims = { ...req.dimensions, model: first.fallbackModel };
    const second = await attempt(ctx, req, dims, at);
    if (second.result.status === "allowed") return { ...second.result, fallbackModel: first.fallbackModel };
  }
  if (first.windowStart !== null) await raiseDenialAlert(ctx, first.result.denial, first.windowStart, at);
  return first.result;
}

/** One try: its answer, the soft limit's fallback model to retry with, the blocking window's start. */
export interface Attempt {
  result: ReserveResult;
  fallbackModel: string | null;
  windowStart: number | null;
}

/** One all-or-nothing try with these dimensions (see {@link reserve}). */
export async function attempt(
  ctx: EngineContext,
  req: ParsedReserve,
  given: Dimensions,
  at: number,
): Promise<Attempt> {
  const usage = makeUsage(req.estimate);
  const priced = ctx.price({ dimensions: given, usage, at, batch: req.batch, costUsd: req.costUsd });
  // The provider the model resolved to, when none was given: held, stored and matched as such.
  const dims = withResolvedProvider(given, priced);
  if (!priced.ok) {
    return {
      result: unknownModelDenial(priced, amountsOf(usage, 0n)),
      fallbackModel: null,
      windowStart: null,
    };
  }
  const amounts = amountsOf(usage, priced.costNanoUsd);
  assertEventWithin(ctx.bounds, amounts, "estimate");
  const budgets = await matchingBudgets(ctx, dims, at);
  const plan = planHolds(budgets, dims, amounts, req.priority === "critical", at);
  const reservation: Reservation = {
    id: ctx.ids.next("res"),
    idempotencyKey: req.idempotencyKey ?? null,
    status: "active",
    createdAt: at,
    expiresAt: at + (req.ttlMs ?? ctx.defaultTtlMs),
    dimensions: dims,
    estimate: amounts,
    priceVersionId: priced.priceVersionId,
    holds: plan.holds.map((h) => ({ key: h.counter.key, amounts: h.amounts })),
  };
  const stored = await ctx.store.reserve(reservation, plan.holds);
  if (!stored.ok) {
    const origin = plan.origins[stored.failedHold]!;
    const b = plan.budgets[origin.budgetIndex]!;
    const l = b.limits[origin.limitIndex]!;
    const denial = denialFor({
      b,
      l,
      partition: origin.partition,
      current: stored.current,
      requested: amounts,
      at,
    });
    const fallbackModel =
      l.limit.enforcement === "soft_limit" && l.limit.fallbackModel && l.limit.fallbackModel !== dims.model
        ? l.limit.fallbackModel
        : null;
    const windowStart = plan.holds[stored.failedHold]!.counter.windowStart;
    return { fallbackModel, windowStart, result: { status: "denied", denial } };
  }
  const warnings = plan.warnLimits.length > 0 ? await warningsFor(ctx, plan) : [];
  const r = stored.reservation;
  ctx.recentReservations.add(r);
  return {
    fallbackModel: null,
    windowStart: null,
    result: {
      status: "allowed",
      reservationId: r.id,
      expiresAt: r.expiresAt,
      estimate: r.estimate,
      priceVersionId: r.priceVersionId,
      fallbackModel: null,
      warnings,
      budgetIds: plan.budgets.map((b) => b.budget.id),
      duplicate: stored.duplicate,
    },
  };
}

/** Warn-only limits the reservation pushed past their limit. */
async function warningsFor(ctx: EngineContext, plan: HoldPlan): Promise<ReserveWarning[]> {
  const states = await ctx.store.getCounters(plan.warnLimits.flatMap((w) => w.keys));
  const byKey = new Map(states.map((s) => [s.key, s]));
  const out: ReserveWarning[] = [];
  for (const w of plan.warnLimits) {
    let tokens = 0;
    let cost = 0n;
    let requests = 0;
    for (const k of w.keys) {
      const s = byKey.get(k);
      if (!s) continue;
      tokens += s.used.tokens + s.reserved.tokens;
      cost += s.used.costNanoUsd + s.reserved.costNanoUsd;
      requests += s.used.requests + s.reserved.requests;
    }
    const over =
      (w.cap.tokens !== undefined && tokens > w.cap.tokens) ||
      (w.cap.costNanoUsd !== undefined && cost > w.cap.costNanoUsd) ||
      (w.cap.requests !== undefined && requests > w.cap.requests);
    if (!over) continue;
    const { budgetId, limitId, enforcement } = w;
    out.push({
      budgetId,
      limitId,
      enforcement,
      message: `budget ${budgetId} limit ${limitId} is over its limit (${enforcement})`,
    });
  }
  return out;
}
