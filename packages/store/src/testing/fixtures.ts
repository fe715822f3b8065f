import type { Reservation, UsageEvent } from "@budget/core";
import { makeUsage, type Usage } from "@budget/core";
import type { CounterHold, CounterRef } from "@budget/core/store-kit";

/** A counter reference of a test budget `b1`, limit `l1`. */
export function counterRef(key = "b1|l1||0", windowStart = 0): CounterRef {
  return { key, budgetId: "b1", limitId: "l1", partition: "", windowStart, windowEnd: null };
}

/** A hold of `tokens` on `ref`, capped at `capTokens` over the counter itself. */
export function cappedHold(ref: CounterRef, tokens: number, capTokens: number): CounterHold {
  return {
    counter: ref,
    amounts: { tokens, costNanoUsd: BigInt(tokens) * 10n, requests: 1 },
    cap: { sumKeys: [ref.key], tokens: capTokens },
  };
}

/** An active reservation holding `holds`. */
export function reservationOf(
  id: string,
  holds: CounterHold[],
  idempotencyKey: string | null = null,
): Reservation {
  return {
    id,
    idempotencyKey,
    status: "active",
    createdAt: 1_000,
    expiresAt: 61_000,
    dimensions: { component: "test", model: "gpt-4o" },
    estimate: holds[0]?.amounts ?? { tokens: 0, costNanoUsd: 0n, requests: 0 },
    priceVersionId: "pv1",
    holds: holds.map((h) => ({ key: h.counter.key, amounts: h.amounts })),
  };
}

/** A usage event of `tokens` input tokens costing 10 nano-USD per token. */
export function usageEvent(
  id: string,
  tokens: number,
  extra: { reservationId?: string | null; time?: number; model?: string; usage?: Partial<Usage> } = {},
): UsageEvent {
  return {
    id,
    kind: "usage",
    time: extra.time ?? 1_000,
    dimensions: { component: "test", provider: "openai", model: extra.model ?? "gpt-4o" },
    usage: makeUsage({ inputTokens: tokens, ...extra.usage }),
    costNanoUsd: BigInt(tokens) * 10n,
    priceVersionId: "pv1",
    pricing: "priced",
    reservationId: extra.reservationId ?? null,
    idempotencyKey: `idem-${id}`,
  };
}
