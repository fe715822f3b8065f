import { createHash } from "node:crypto";
import {
  type Catalog,
  computeCostNanoUsd,
  createCatalog,
  type Dimensions,
  formatUsd,
  type NanoUsd,
  type PriceVersion,
  type Store,
  type UsageEvent,
} from "@budget/core";

/** The prices a reprice applies: the catalog as it stood at one instant, or explicit versions. */
export type RepriceTarget =
  | { atInstant: number; catalog: Catalog }
  /** Each event is priced by these versions as if they had always been in force. */
  | { priceOverrides: PriceVersion[] };

/** Options of {@link planReprice}. */
export interface PlanRepriceOptions {
  store: Store;
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  target: RepriceTarget;
  dimensions?: Dimensions;
}

/** One event's cost under its own price and under the target price. */
export interface RepriceLine {
  eventId: string;
  time: number;
  dimensions: Dimensions;
  oldCostNanoUsd: NanoUsd;
  newCostNanoUsd: NanoUsd;
  deltaNanoUsd: NanoUsd;
  oldVersionId: string | null;
  newVersionId: string;
}

/** A dry run: what a time range would cost under other prices. Nothing is written. */
export interface RepricePlan {
  /** Derived from the inputs, so planning the same reprice twice gives the same id. */
  id: string;
  from: number;
  to: number;
  lines: RepriceLine[];
  /** Events the target cannot price (unknown model), or priced explicitly: left as they are. */
  skipped: { eventId: string; reason: "unpriced" | "explicit" | "adjustment" }[];
  totals: { events: number; oldCostUsd: string; newCostUsd: string; deltaUsd: string };
}

/**
 * Plans a reprice of the usage events in `[from, to)`: each priced event's cost recomputed under
 * the target prices, with totals. A dry run by default — {@link applyReprice} writes adjustments.
 *
 * @example const plan = await planReprice({ store, from, to, target: { priceOverrides: [newPrice] } });
 */
export async function planReprice(options: PlanRepriceOptions): Promise<RepricePlan> {
  const { store, from, to, target } = options;
  const catalog =
    "catalog" in target ? target.catalog : createCatalog({ versions: alwaysInForce(target.priceOverrides) });
  const at = (e: UsageEvent) => ("atInstant" in target ? target.atInstant : e.time);
  const plan: RepricePlan = {
    id: planIdOf(options),
    from,
    to,
    lines: [],
    skipped: [],
    totals: { events: 0, oldCostUsd: "", newCostUsd: "", deltaUsd: "" },
  };
  let oldTotal = 0n;
  let newTotal = 0n;
  let cursor: string | undefined;
  do {
    const page = await store.listEvents({
      from,
      to,
      ...(options.dimensions ? { dimensions: options.dimensions } : {}),
      ...(cursor ? { cursor } : {}),
      limit: 1000,
    });
    for (const e of page.events) {
      if (e.kind !== "usage") plan.skipped.push({ eventId: e.id, reason: "adjustment" });
      else if (e.pricing === "explicit") plan.skipped.push({ eventId: e.id, reason: "explicit" });
      else {
        const version = e.dimensions.model
          ? catalog.resolve({ provider: e.dimensions.provider, model: e.dimensions.model, at: at(e) })
          : null;
        if (!version) {
          plan.skipped.push({ eventId: e.id, reason: "unpriced" });
          continue;
        }
        // The event's own instant picks time-of-day rates, whatever instant chose the version.
        const cost = computeCostNanoUsd(version, e.usage, { at: e.time });
        oldTotal += e.costNanoUsd;
        newTotal += cost;
        plan.lines.push({
          eventId: e.id,
          time: e.time,
          dimensions: e.dimensions,
          oldCostNanoUsd: e.costNanoUsd,
          newCostNanoUsd: cost,
          deltaNanoUsd: cost - e.costNanoUsd,
          oldVersionId: e.priceVersionId,
          newVersionId: version.id,
        });
      }
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  plan.totals = {
    events: plan.lines.length,
    oldCostUsd: formatUsd(oldTotal),
    newCostUsd: formatUsd(newTotal),
    deltaUsd: formatUsd(newTotal - oldTotal),
  };
  return plan;
}

function alwaysInForce(versions: PriceVersion[]): PriceVersion[] {
  return versions.map((v) => ({ ...v, effectiveFrom: Number.MIN_SAFE_INTEGER, effectiveTo: null }));
}

function planIdOf(o: PlanRepriceOptions): string {
  const target =
    "atInstant" in o.target
      ? { atInstant: o.target.atInstant }
      : { overrides: o.target.priceOverrides.map((v) => v.id) };
  const text = JSON.stringify({ from: o.from, to: o.to, target, dimensions: o.dimensions ?? null });
  return `rp_${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;
}
