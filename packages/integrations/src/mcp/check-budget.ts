import { amountsToWire, type BudgetClient, type Dimensions, denialToWire, type Usage } from "@budget/core";

/** What {@link checkBudget} is asked. */
export interface CheckInput {
  dimensions: Dimensions;
  estimate?: Partial<Usage> | undefined;
  costUsd?: string | undefined;
  priority?: "low" | "normal" | "high" | "critical" | undefined;
}

// Only long enough to be released at once; a crash in between frees it within a minute.
const CHECK_TTL_MS = 60_000;

/**
 * Would a call with these dimensions and this estimate be allowed now? Answered with the real
 * all-or-nothing reservation across every matching budget, released straight away, so the answer
 * is the one a reserve would get (a concurrent caller may still take the room first).
 */
export async function checkBudget(client: BudgetClient, input: CheckInput) {
  const r = await client.reserve({
    dimensions: input.dimensions,
    ...(input.estimate ? { estimate: input.estimate } : {}),
    ...(input.costUsd ? { costUsd: input.costUsd } : {}),
    ...(input.priority ? { priority: input.priority } : {}),
    ttlMs: CHECK_TTL_MS,
  });
  if (r.status === "denied") return { allowed: false as const, denial: denialToWire(r.denial) };
  await client.release(r.reservationId);
  return {
    allowed: true as const,
    estimate: amountsToWire(r.estimate),
    priceVersionId: r.priceVersionId,
    fallbackModel: r.fallbackModel,
    warnings: r.warnings,
    budgetIds: r.budgetIds,
  };
}
