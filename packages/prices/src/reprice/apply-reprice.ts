import { type Clock, emptyUsage, type IdSource, type UsageEvent } from "@budget/core";
import type { RepricePlan } from "./plan-reprice.js";

/** Options of {@link applyReprice}. */
export interface ApplyRepriceOptions {
  clock: Clock;
  ids: IdSource;
  /**
   * Records one adjustment event (the engine's `commit` with the counter increments of its
   * dimensions). Returns whether it was new or a duplicate of an earlier apply.
   */
  record(event: UsageEvent): Promise<{ status: "committed" | "duplicate" }>;
}

/** What applying a plan wrote. */
export interface ApplyRepriceResult {
  planId: string;
  recorded: number;
  duplicates: number;
}

/**
 * Writes a plan as `adjustment` events: one per event whose cost changes, carrying the cost
 * difference, the same dimensions, no usage, and the idempotency key `reprice:<event>`, so an
 * event is adjusted at most once however often (or over however many ranges) a reprice is applied. Past events are never rewritten.
 */
export async function applyReprice(
  plan: RepricePlan,
  options: ApplyRepriceOptions,
): Promise<ApplyRepriceResult> {
  const result: ApplyRepriceResult = { planId: plan.id, recorded: 0, duplicates: 0 };
  for (const line of plan.lines) {
    if (line.deltaNanoUsd === 0n) continue;
    const { status } = await options.record({
      id: options.ids.next("evt"),
      kind: "adjustment",
      time: options.clock.now(),
      dimensions: line.dimensions,
      usage: { ...emptyUsage(), requests: 0 },
      costNanoUsd: line.deltaNanoUsd,
      priceVersionId: line.newVersionId,
      pricing: "priced",
      reservationId: null,
      // One adjustment per original event, whatever the plan: overlapping or repeated reprices never
      // adjust an event twice (the delta is always against the event's own cost).
      idempotencyKey: `reprice:${line.eventId}`,
    });
    if (status === "committed") result.recorded += 1;
    else result.duplicates += 1;
  }
  return result;
}
