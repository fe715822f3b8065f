import type { z } from "zod";
import type { Dimensions } from "../budget/dimensions.js";
import { BudgetError } from "../errors/budget-error.js";
import { assertEventWithin } from "../limits/amount-bounds.js";
import type { CounterIncrement, Reservation, UsageEvent } from "../ports/store.js";
import { makeUsage, type Usage } from "../usage/usage.js";
import type { BudgetIndex } from "./budget-index.js";
import { counterRefAt, partitionOf, rollingWindowAt, windowSumRef } from "./compiled-budget.js";
import { amountsOf, type EngineContext, matchingBudgets } from "./context.js";
import { withResolvedProvider } from "./pricing.js";
import type { CommitResult, commitRequestSchema, recordRequestSchema } from "./requests.js";
import { evaluateThresholds } from "./thresholds.js";

/**
 * Counter increments of an event: every limit of every budget matching it (and active) that existed
 * at its time. A budget never counts events from before it was created (a backdated record, or the
 * ledger `reconcile` replays), so live counting and reconciliation agree and `--repair` never
 * charges a new budget retroactively.
 */
export async function incrementsFor(
  ctx: EngineContext,
  event: UsageEvent,
  index?: BudgetIndex,
): Promise<CounterIncrement[]> {
  const amounts = amountsOf(event.usage, event.costNanoUsd);
  const budgets = (await matchingBudgets(ctx, event.dimensions, event.time, index)).filter(
    (b) => b.budget.createdAt <= event.time,
  );
  return budgets.flatMap((b) => {
    const partition = partitionOf(b, event.dimensions);
    return b.limits.flatMap((l): CounterIncrement[] => {
      const bucket = { counter: counterRefAt(b, l, partition, event.time), amounts };
      if (l.limit.window.type !== "rolling") return [bucket];
      const window = rollingWindowAt(b, l, partition, event.time);
      return [bucket, { counter: windowSumRef(b, l, partition), amounts, window }];
    });
  });
}

async function settle(
  ctx: EngineContext,
  input: {
    dimensions: Dimensions;
    usage: Usage;
    time: number;
    batch: boolean;
    costUsd?: string | undefined;
    reservationId: string | null;
    idempotencyKey: string;
  },
): Promise<CommitResult> {
  const priced = ctx.price({ ...input, at: input.time });
  const dimensions = withResolvedProvider(input.dimensions, priced);
  if (!priced.ok) {
    // A retry of an event that was recorded before (e.g. with an explicit cost) is still a duplicate.
    const existing = await ctx.store.getEventByIdempotencyKey(input.idempotencyKey);
    if (existing) return { status: "duplicate", event: existing, alerts: [] };
    const name = [priced.provider, priced.model].filter(Boolean).join("/") || "(no model given)";
    throw new BudgetError(
      "unknown_model",
      `no price for model ${name}; give costUsd or configure a fallback price`,
      {
        provider: priced.provider,
        model: priced.model,
      },
    );
  }
  assertEventWithin(ctx.bounds, amountsOf(input.usage, priced.costNanoUsd), "usage");
  const event: UsageEvent = {
    id: ctx.ids.next("evt"),
    kind: "usage",
    time: input.time,
    dimensions,
    usage: input.usage,
    costNanoUsd: priced.costNanoUsd,
    priceVersionId: priced.priceVersionId,
    pricing: priced.pricing,
    reservationId: input.reservationId,
    idempotencyKey: input.idempotencyKey,
  };
  const increments = await incrementsFor(ctx, event);
  const stored = await ctx.store.commit(event, increments);
  if (stored.status === "duplicate") return { status: "duplicate", event: stored.event, alerts: [] };
  ctx.emit({ type: "usage", event: stored.event });
  const alerts = await evaluateThresholds(ctx, stored.counters, stored.event.time);
  return { status: "committed", event: stored.event, alerts };
}

/** Commit: settle a reservation with the actual usage (idempotent per key; default `commit:<id>`). */
export async function commit(
  ctx: EngineContext,
  req: z.output<typeof commitRequestSchema>,
): Promise<CommitResult> {
  const idempotencyKey = req.idempotencyKey ?? `commit:${req.reservationId}`;
  const reservation =
    ctx.recentReservations.take(req.reservationId) ?? (await ctx.store.getReservation(req.reservationId));
  if (!reservation) {
    const existing = await ctx.store.getEventByIdempotencyKey(idempotencyKey);
    if (existing) return { status: "duplicate", event: existing, alerts: [] };
    throw new BudgetError("not_found", `reservation ${req.reservationId} not found`, {
      reservationId: req.reservationId,
    });
  }
  const dimensions = movedProvider(
    ctx,
    withCommitChanges(reservation.dimensions, req),
    reservation.dimensions,
  );
  const result = await settle(ctx, {
    dimensions,
    usage: makeUsage(req.usage),
    time: ctx.clock.now(),
    batch: req.batch,
    costUsd: req.costUsd,
    reservationId: reservation.id,
    idempotencyKey,
  });
  freedHolds(ctx, reservation);
  return result;
}

/** Wakes reservations waiting on the limits a settled reservation held. */
function freedHolds(ctx: EngineContext, r: Reservation): void {
  if (ctx.waiting.queue.size > 0) ctx.waiting.queue.freed(r.holds.map((h) => h.key));
}

/** The reservation's dimensions with the commit's model and added tags. */
function withCommitChanges(
  dims: Dimensions,
  req: { model?: string | undefined; tags?: string[] | undefined },
) {
  if (!req.model && !req.tags?.length) return dims;
  const out: Dimensions = { ...dims };
  if (req.model) out.model = req.model;
  if (req.tags?.length) out.tags = [...new Set([...(dims.tags ?? []), ...req.tags])];
  return out;
}

/**
 * A commit that changes the model to one of another provider (reserved `gpt-4o`, answered by
 * `claude-sonnet-4-5`) takes the new model's provider when the reserved one cannot price it.
 */
function movedProvider(ctx: EngineContext, dims: Dimensions, reserved: Dimensions): Dimensions {
  if (!dims.model || dims.model === reserved.model || !dims.provider) return dims;
  const { provider: _reservedProvider, ...withoutProvider } = dims;
  const moved = ctx.price({
    dimensions: withoutProvider,
    usage: makeUsage({}),
    at: ctx.clock.now(),
    batch: false,
  });
  const kept = ctx.price({ dimensions: dims, usage: makeUsage({}), at: ctx.clock.now(), batch: false });
  // Keep the reserved provider when it prices the new model as that provider's own.
  if (kept.ok && kept.resolvedProvider === dims.provider) return dims;
  return moved.ok && moved.resolvedProvider ? { ...dims, provider: moved.resolvedProvider } : dims;
}

/** Record: a commit with no prior reservation (usage reported after the fact). */
export async function record(
  ctx: EngineContext,
  req: z.output<typeof recordRequestSchema>,
): Promise<CommitResult> {
  const now = ctx.clock.now();
  if (req.time !== undefined && req.time > now + 60_000) {
    throw new BudgetError("invalid_input", "time cannot be in the future", { field: "time" });
  }
  return settle(ctx, {
    dimensions: req.dimensions,
    usage: makeUsage(req.usage),
    time: req.time ?? now,
    batch: req.batch,
    costUsd: req.costUsd,
    reservationId: null,
    idempotencyKey: req.idempotencyKey ?? ctx.ids.next("rec"),
  });
}

/** Release: give back a reservation's holds unused (no-op once settled). */
export async function release(ctx: EngineContext, reservationId: string) {
  ctx.recentReservations.drop(reservationId);
  const r = await ctx.store.release(reservationId, "released");
  if (!r) throw new BudgetError("not_found", `reservation ${reservationId} not found`, { reservationId });
  if (r.status === "released") ctx.emit({ type: "release", reservationId, status: "released" });
  freedHolds(ctx, r);
  return r;
}

/** Expires active reservations past their TTL, giving back their holds; returns how many. */
export async function sweepExpired(ctx: EngineContext, batch = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const due = await ctx.store.listExpiredReservations(ctx.clock.now(), batch);
    for (const r of due) {
      ctx.recentReservations.drop(r.id);
      const after = await ctx.store.release(r.id, "expired");
      if (after?.status === "expired") {
        total += 1;
        freedHolds(ctx, after);
        ctx.emit({ type: "release", reservationId: r.id, status: "expired" });
      }
    }
    if (due.length < batch) return total;
  }
}
