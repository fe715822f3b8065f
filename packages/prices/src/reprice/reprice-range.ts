import type { Catalog, Clock, Dimensions, IdSource, PriceVersion, Store, UsageEvent } from "@budget/core";
import { type ApplyRepriceResult, applyReprice } from "./apply-reprice.js";
import { planReprice, type RepricePlan } from "./plan-reprice.js";

/** What to reprice, and whether to write it. */
export interface RepriceRangeInput {
  store: Store;
  /** The catalog whose past a `{ at }` target reads. */
  catalog: Catalog;
  from: number;
  to: number;
  dimensions?: Dimensions | undefined;
  /** The catalog as it stood at an instant, or these versions as if always in force. */
  target: { at: number } | { prices: PriceVersion[] };
  /** False: a dry run. True: append the adjustment events through `appendEvent`. */
  apply: boolean;
  clock: Clock;
  ids: IdSource;
  /** The engine's `appendEvent`, so adjustments move the budget counters. */
  appendEvent(event: UsageEvent): Promise<{ status: "committed" | "duplicate" }>;
}

/** A reprice's outcome, JSON-safe: the API's answer and the CLI's output. */
export interface RepriceSummary {
  planId: string;
  from: number;
  to: number;
  totals: RepricePlan["totals"];
  /** Events whose cost changes. */
  changed: number;
  skipped: number;
  /** Null for a dry run. */
  applied: ApplyRepriceResult | null;
}

/**
 * Plans a reprice of `[from, to)` and, with `apply`, writes it as adjustment events (idempotent:
 * applying the same plan twice counts once). The one entry point of the API and the CLI.
 */
export async function repriceRange(input: RepriceRangeInput): Promise<RepriceSummary> {
  const plan = await planReprice({
    store: input.store,
    from: input.from,
    to: input.to,
    ...(input.dimensions ? { dimensions: input.dimensions } : {}),
    target:
      "at" in input.target
        ? { atInstant: input.target.at, catalog: input.catalog }
        : { priceOverrides: input.target.prices },
  });
  const applied = input.apply
    ? await applyReprice(plan, { clock: input.clock, ids: input.ids, record: input.appendEvent })
    : null;
  return {
    planId: plan.id,
    from: plan.from,
    to: plan.to,
    totals: plan.totals,
    changed: plan.lines.filter((l) => l.deltaNanoUsd !== 0n).length,
    skipped: plan.skipped.length,
    applied,
  };
}
