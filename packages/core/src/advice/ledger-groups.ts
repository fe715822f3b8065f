import type { Catalog } from "../catalog/catalog-port.js";
import { computeCostNanoUsd } from "../cost/compute-cost.js";
import { allEvents } from "../engine/report.js";
import type { EventQuery, Store, UsageEvent } from "../ports/store.js";
import { addUsage, emptyUsage, inputSideTokens, type Usage } from "../usage/usage.js";

/** The dimensions spend advice groups the ledger by (the report's `groupBy`). */
export const ADVICE_GROUP_BY = ["component", "taskType", "provider", "model"] as const;

/** One (component, task type, provider, model) of the ledger over the advice's range. */
export interface LedgerGroup {
  key: string;
  group: Record<(typeof ADVICE_GROUP_BY)[number], string | null>;
  /** Every event, adjustments included (as the report counts them). */
  events: number;
  costNanoUsd: bigint;
  /** Usage events only (adjustments carry no usage). */
  calls: number;
  usage: Usage;
  maxInputSideTokens: number;
  maxOutputTokens: number;
  /** Ledger cost of calls priced at full price by a version that offers a batch discount. */
  fullPriceBatchableNanoUsd: bigint;
  /** What those calls would have cost at the version's batch price. */
  atBatchPriceNanoUsd: bigint;
  /** Per tag of {@link ESTIMATE_TAGS}: calls whose usage was estimated, or not fully understood. */
  estimated: Partial<Record<(typeof ESTIMATE_TAGS)[number], { calls: number; costNanoUsd: bigint }>>;
}

/** Tags marking usage that was estimated or not fully understood. */
export const ESTIMATE_TAGS = ["estimated", "unverified"] as const;

/** The group key of an event. */
export function groupKeyOf(e: UsageEvent): string {
  return JSON.stringify(ADVICE_GROUP_BY.map((d) => e.dimensions[d] ?? null));
}

/**
 * One pass over the ledger: per (component, task type, provider, model), the events, cost, summed
 * usage, largest call, what full-price calls would have cost at their version's batch price (a
 * call is taken as full price when its cost equals its version's full price for its usage), and
 * the calls whose usage was only estimated.
 */
export async function ledgerGroups(
  store: Store,
  catalog: Catalog,
  query: EventQuery,
): Promise<{ groups: Map<string, LedgerGroup>; totalNanoUsd: bigint }> {
  const groups = new Map<string, LedgerGroup>();
  let totalNanoUsd = 0n;
  for await (const e of allEvents(store, query)) {
    totalNanoUsd += e.costNanoUsd;
    const key = groupKeyOf(e);
    let g = groups.get(key);
    if (!g) {
      const group = Object.fromEntries(ADVICE_GROUP_BY.map((d) => [d, e.dimensions[d] ?? null]));
      g = {
        key,
        group: group as LedgerGroup["group"],
        events: 0,
        costNanoUsd: 0n,
        calls: 0,
        usage: emptyUsage(),
        maxInputSideTokens: 0,
        maxOutputTokens: 0,
        fullPriceBatchableNanoUsd: 0n,
        atBatchPriceNanoUsd: 0n,
        estimated: {},
      };
      groups.set(key, g);
    }
    g.events += 1;
    g.costNanoUsd += e.costNanoUsd;
    if (e.kind !== "usage") continue;
    g.calls += 1;
    g.usage = addUsage(g.usage, e.usage);
    g.maxInputSideTokens = Math.max(g.maxInputSideTokens, inputSideTokens(e.usage));
    g.maxOutputTokens = Math.max(g.maxOutputTokens, e.usage.outputTokens);
    for (const tag of ESTIMATE_TAGS) {
      if (!e.dimensions.tags?.includes(tag)) continue;
      const t = g.estimated[tag] ?? { calls: 0, costNanoUsd: 0n };
      t.calls += 1;
      t.costNanoUsd += e.costNanoUsd;
      g.estimated[tag] = t;
    }
    const v = e.priceVersionId ? catalog.getVersion(e.priceVersionId) : null;
    if (!v?.batchMultiplier || e.pricing !== "priced") continue;
    const full = computeCostNanoUsd(v, e.usage, { at: e.time });
    if (full !== e.costNanoUsd) continue;
    const batch = computeCostNanoUsd(v, e.usage, { at: e.time, batch: true });
    if (batch >= full) continue;
    g.fullPriceBatchableNanoUsd += full;
    g.atBatchPriceNanoUsd += batch;
  }
  return { groups, totalNanoUsd };
}

/**
 * A second pass: the exact cost of each material group's calls under other price versions (each
 * call priced on its own at `at`, as the ledger would), keyed by group key then version id.
 */
export async function repriceGroups(
  store: Store,
  query: EventQuery,
  targets: Map<string, readonly { id: string; version: Parameters<typeof computeCostNanoUsd>[0] }[]>,
  at: number,
): Promise<Map<string, Map<string, bigint>>> {
  const out = new Map<string, Map<string, bigint>>();
  for (const [key, list] of targets) out.set(key, new Map(list.map((t) => [t.id, 0n])));
  if (targets.size === 0) return out;
  for await (const e of allEvents(store, query)) {
    if (e.kind !== "usage") continue;
    const key = groupKeyOf(e);
    const list = targets.get(key);
    if (!list) continue;
    const sums = out.get(key) as Map<string, bigint>;
    for (const t of list)
      sums.set(t.id, (sums.get(t.id) ?? 0n) + computeCostNanoUsd(t.version, e.usage, { at }));
  }
  return out;
}

/** `part` of `total` in percent, two decimals, rounded down. */
export function sharePct(part: bigint, total: bigint): number {
  return total <= 0n ? 0 : Number((part * 10_000n) / total) / 100;
}
