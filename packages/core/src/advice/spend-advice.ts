import { z } from "zod";
import { dimensionsSchema } from "../budget/dimensions.js";
import type { Catalog } from "../catalog/catalog-port.js";
import type { LimitStatus } from "../engine/requests.js";
import { formatUsd } from "../money/nano-usd.js";
import type { EventQuery, Store } from "../ports/store.js";
import type { spendAdviceSchema } from "../wire/admin-schemas.js";
import { adviceQueries, budgetForecasts, cacheAdvice, unreconciledAdvice } from "./advice-items.js";
import { cheaperModelAdvice } from "./cheaper-models.js";
import { ledgerGroups, sharePct } from "./ledger-groups.js";

const DAY_MS = 86_400_000;
/** Instants a Date can show (advice cites its range as ISO dates): year 0 to 200000. */
const instant = z.number().int().min(-62_167_219_200_000).max(6_249_223_296_000_000);

/** Zod schema of a {@link SpendAdviceQuery}. */
export const spendAdviceQuerySchema = z
  .object({
    /** Epoch ms, inclusive (default: 30 days before `to`). */
    from: instant.optional(),
    /** Epoch ms, exclusive (default now). */
    to: instant.optional(),
    /** A group is material from this share of the range's spend, in percent (default 5). */
    minSharePct: z.number().min(0).max(100).default(5),
    /** Only the ledger events carrying these dimensions. */
    dimensions: dimensionsSchema.optional(),
    /** Cheaper models listed per group (default 3). */
    alternatives: z.number().int().min(1).max(10).default(3),
  })
  .strict();

/** What spend advice covers. */
export type SpendAdviceQuery = z.input<typeof spendAdviceQuerySchema>;

/** The answer of {@link spendAdvice}: its schema is the wire module's. */
export type SpendAdvice = z.infer<typeof spendAdviceSchema>;
/** One piece of advice. Money is USD decimal text (nine decimals), as on the wire. */
export type AdviceItem = SpendAdvice["items"][number];
/** A query that reproduces a figure: the HTTP call, the CLI command, and the row to read. */
export type AdviceQuery = SpendAdvice["queries"][number];

/** What {@link spendAdvice} reads. */
export interface SpendAdviceDeps {
  store: Store;
  catalog: Catalog;
  /** The status of every open budget now (for forecasts). */
  status: () => Promise<LimitStatus[]>;
}

/**
 * Advice from the ledger over `[from, to)`: for each (component, task type, provider, model) with
 * material spend, its share and the cheaper capable models priced exactly on its own calls; low
 * cache-read ratios on models with prompt caching; full-price calls that a batch price covers;
 * budgets forecast to run out before they reset; estimated usage. Every item names the queries
 * that reproduce its figures.
 */
export async function spendAdvice(
  deps: SpendAdviceDeps,
  input: SpendAdviceQuery,
  now: number,
): Promise<SpendAdvice> {
  const q = spendAdviceQuerySchema.parse(input);
  const to = q.to ?? now;
  const from = q.from ?? to - 30 * DAY_MS;
  const query: EventQuery = { from, to, ...(q.dimensions ? { dimensions: q.dimensions } : {}) };
  const { groups, totalNanoUsd } = await ledgerGroups(deps.store, deps.catalog, query);
  const min = q.minSharePct;
  const material = [...groups.values()]
    .filter((g) => g.costNanoUsd > 0n && sharePct(g.costNanoUsd, totalNanoUsd) >= min)
    .sort((a, b) => (b.costNanoUsd > a.costNanoUsd ? 1 : b.costNanoUsd < a.costNanoUsd ? -1 : 0));
  const queries = adviceQueries(from, to, q.dimensions);
  const ctx = { from, to, now, totalNanoUsd, catalog: deps.catalog, queries, dimensions: q.dimensions };
  const items = [
    ...(await cheaperModelAdvice(deps.store, query, material, ctx, q.alternatives)),
    ...cacheAdvice(material, ctx),
    ...budgetForecasts(await deps.status(), now, queries),
    ...unreconciledAdvice([...groups.values()], ctx),
  ];
  return {
    from,
    to,
    totalCostUsd: formatUsd(totalNanoUsd),
    material: material.map((g) => ({
      scope: g.group,
      costUsd: formatUsd(g.costNanoUsd),
      sharePct: sharePct(g.costNanoUsd, totalNanoUsd),
      events: g.events,
    })),
    items,
    queries: [queries.report],
  };
}
