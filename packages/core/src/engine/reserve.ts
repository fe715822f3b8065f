import type { z } from "zod";
import type { Dimensions } from "../budget/dimensions.js";
import { assertEventWithin } from "../limits/amount-bounds.js";
import type { Amounts, CounterHold, Reservation, StoreReserveResult } from "../ports/store.js";
import { makeUsage } from "../usage/usage.js";
import {
  type CompiledBudget,
  capOf,
  counterRefAt,
  holdCapOf,
  inFlightRef,
  limitsOf,
  type Priority,
  partitionOf,
  rollingWindowAt,
  slotsOf,
  windowSumRef,
} from "./compiled-budget.js";
import { amountsOf, type EngineContext, matchingBudgets } from "./context.js";
import { denialFor, inFlightDenial, raiseDenialAlert, unknownModelDenial } from "./denial.js";
import { fitOutputTokens, type Room, withOutputTokens } from "./partial-grant.js";
import { withResolvedProvider } from "./pricing.js";
import type { ReserveResult, ReserveWarning, reserveRequestSchema } from "./requests.js";
import { retryAfterMsOf } from "./retry-after.js";

/** A reserve request after validation. */
export type ParsedReserve = z.output<typeof reserveRequestSchema>;

interface HoldPlan {
  holds: CounterHold[];
  /** For each hold: where it came from, to name a denial. */
  origins: { budgetIndex: number; limitIndex: number; partition: string; inFlight: boolean }[];
  budgets: CompiledBudget[];
  warnLimits: {
    budgetId: string;
    limitId: string;
    enforcement: string;
    keys: string[];
    cap: ReturnType<typeof capOf>;
  }[];
}

/** What a concurrency limit's counter holds per reservation: one request in flight. */
const ONE_IN_FLIGHT = { tokens: 0, costNanoUsd: 0n, requests: 1 } as const;

/** Holds for every limit of the matching `budgets`; soft and hard limits are capped. */
function planHolds(
  budgets: CompiledBudget[],
  dims: Dimensions,
  amounts: Amounts,
  priority: Priority,
  at: number,
) {
  const critical = priority === "critical";
  const plan: HoldPlan = { holds: [], origins: [], budgets, warnLimits: [] };
  budgets.forEach((b, budgetIndex) => {
    const partition = partitionOf(b, dims);
    limitsOf(b, partition).forEach((l, limitIndex) => {
      // A rolling window is held on its running sum: one row read, not one per bucket.
      const rolling = l.limit.window.type === "rolling";
      const counter = rolling ? windowSumRef(b, l, partition) : counterRefAt(b, l, partition, at);
      const enforcement = l.limit.enforcement;
      const blocks = enforcement === "hard_limit" || (enforcement === "soft_limit" && !critical);
      const hold: CounterHold = { counter, amounts };
      if (rolling) hold.window = rollingWindowAt(b, l, partition, at);
      const keys = [counter.key];
      if (blocks) hold.cap = { sumKeys: keys, ...holdCapOf(l, priority) };
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
      plan.origins.push({ budgetIndex, limitIndex, partition, inFlight: false });
      if (l.concurrency !== undefined && enforcement !== "ignore") {
        const slot: CounterHold = { counter: inFlightRef(b, l, partition), amounts: ONE_IN_FLIGHT };
        if (blocks)
          slot.cap = { sumKeys: [slot.counter.key], requests: slotsOf(l, priority) ?? l.concurrency };
        plan.holds.push(slot);
        plan.origins.push({ budgetIndex, limitIndex, partition, inFlight: true });
      }
    });
  });
  return plan;
}

/**
 * Reserve: price the estimate, then hold it on every matching counter — all or nothing. A soft
 * limit that would be exceeded is retried once with its fallback model; with `minOutputTokens`,
 * an estimate that does not fit is retried with the most output tokens that do.
 */
export async function reserve(ctx: EngineContext, req: ParsedReserve): Promise<ReserveResult> {
  const at = ctx.clock.now();
  const first = await attempt(ctx, req, req.dimensions, at);
  if (first.result.status === "allowed") return withGrant(first.result, req);
  if (first.fallbackModel) {
    const dims = { ...req.dimensions, model: first.fallbackModel };
    const second = await attempt(ctx, req, dims, at);
    if (second.result.status === "allowed")
      return { ...withGrant(second.result, req), fallbackModel: first.fallbackModel };
  }
  const partial = await shrunk(ctx, req, first, at);
  if (partial) return partial;
  if (first.windowStart !== null) await raiseDenialAlert(ctx, first.result.denial, first.windowStart, at);
  return first.result;
}

/** Most retries of a partial grant: each smaller try may meet another limit. */
const MAX_SHRINKS = 4;

type Allowed = Extract<ReserveResult, { status: "allowed" }>;
const withGrant = (r: Allowed, req: ParsedReserve): Allowed =>
  req.minOutputTokens !== undefined ? { ...r, grantedOutputTokens: req.estimate.outputTokens } : r;

/** A partial grant: the most output tokens, at least `minOutputTokens`, that fit every limit. */
async function shrunk(ctx: EngineContext, req: ParsedReserve, first: Attempt, at: number) {
  if (req.minOutputTokens === undefined) return null;
  const costOf = (o: number) => {
    const usage = withOutputTokens(req.estimate, o);
    const priced = ctx.price({
      dimensions: req.dimensions,
      usage,
      at,
      batch: req.batch,
      costUsd: req.costUsd,
    });
    return priced.ok ? priced.costNanoUsd : null;
  };
  let last = first;
  let tried = req.estimate.outputTokens;
  for (let i = 0; i < MAX_SHRINKS && last.room && last.requested; i += 1) {
    const o = fitOutputTokens({
      room: last.room,
      amounts: last.requested,
      tried,
      min: req.minOutputTokens,
      costOf,
    });
    if (o === null) return null;
    const next = await attempt(
      ctx,
      { ...req, estimate: withOutputTokens(req.estimate, o) },
      req.dimensions,
      at,
    );
    if (next.result.status === "allowed") return { ...next.result, grantedOutputTokens: o };
    last = next;
    tried = o;
  }
  return null;
}

/** One try: its answer, the soft limit's fallback model to retry with, the blocking window's start. */
export interface Attempt {
  result: ReserveResult;
  fallbackModel: string | null;
  windowStart: number | null;
  /** A denial's blocking limit: its room and the amounts that did not fit (null: none, or unknown model). */
  room?: Room | null;
  requested?: Amounts;
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
  const plan = planHolds(budgets, dims, amounts, req.priority, at);
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
  if (!stored.ok) return deniedAttempt(ctx, plan, stored, amounts, at, dims);
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

/** The attempt a store refusal makes: its denial, the soft limit's fallback, the window to alert for. */
async function deniedAttempt(
  ctx: EngineContext,
  plan: HoldPlan,
  stored: Extract<StoreReserveResult, { ok: false }>,
  requested: Amounts,
  at: number,
  dims: Dimensions,
): Promise<Attempt> {
  const origin = plan.origins[stored.failedHold]!;
  const b = plan.budgets[origin.budgetIndex]!;
  const l = limitsOf(b, origin.partition)[origin.limitIndex]!;
  const hold = plan.holds[stored.failedHold]!;
  const { partition } = origin;
  if (origin.inFlight) {
    const slots = hold.cap?.requests ?? 0;
    const denial = inFlightDenial({ b, l, partition, inFlight: stored.current.requests, requested, slots });
    // Traffic shaping, not a spent budget: no denial alert.
    return { fallbackModel: null, windowStart: null, result: { status: "denied", denial }, room: null };
  }
  const cap = hold.cap!;
  const { current } = stored;
  const room: Room = {
    othersFit:
      cap.requests === undefined ||
      requested.requests === 0 ||
      current.requests + requested.requests <= cap.requests,
  };
  if (cap.tokens !== undefined && requested.tokens > 0) room.tokens = cap.tokens - current.tokens;
  if (cap.costNanoUsd !== undefined && requested.costNanoUsd > 0n)
    room.costNanoUsd = cap.costNanoUsd - current.costNanoUsd;
  const buckets = hold.window ? await ctx.store.getCounters([...hold.window.bucketKeys]) : [];
  const retryAfterMs = retryAfterMsOf({ b, l, cap, current, requested, buckets, at });
  const windowStart = counterRefAt(b, l, partition, at).windowStart;
  const { sumKeys: _keys, ...limitCap } = cap;
  const denial = denialFor({
    b,
    l,
    partition,
    current,
    requested,
    at,
    windowStart,
    retryAfterMs,
    cap: limitCap,
  });
  const fallbackModel =
    l.limit.enforcement === "soft_limit" && l.limit.fallbackModel && l.limit.fallbackModel !== dims.model
      ? l.limit.fallbackModel
      : null;
  return { fallbackModel, windowStart, result: { status: "denied", denial }, room, requested };
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
