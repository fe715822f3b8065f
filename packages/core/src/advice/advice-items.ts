import type { Dimensions } from "../budget/dimensions.js";
import type { Catalog } from "../catalog/catalog-port.js";
import { computeCostNanoUsd } from "../cost/compute-cost.js";
import type { LimitStatus } from "../engine/requests.js";
import { formatUsd } from "../money/nano-usd.js";
import { makeUsage } from "../usage/usage.js";
import { ADVICE_GROUP_BY, ESTIMATE_TAGS, type LedgerGroup } from "./ledger-groups.js";
import type { AdviceItem, AdviceQuery } from "./spend-advice.js";

/** What every item builder shares. */
export interface AdviceContext {
  from: number;
  to: number;
  now: number;
  totalNanoUsd: bigint;
  catalog: Catalog;
  queries: ReturnType<typeof adviceQueries>;
  dimensions?: Dimensions | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();
const flagOf = (d: string) =>
  d === "apiKey" ? "key-dim" : d.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function filters(dims: Record<string, string | readonly string[] | null | undefined>) {
  const http: string[] = [];
  const cli: string[] = [];
  for (const [d, v] of Object.entries(dims)) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) {
      http.push(`${d}=${v.map(encodeURIComponent).join(",")}`);
      for (const t of v) cli.push(`--tag ${t}`);
    } else {
      http.push(`${d}=${encodeURIComponent(v as string)}`);
      cli.push(`--${flagOf(d)} ${v}`);
    }
  }
  return { http: http.map((p) => `&${p}`).join(""), cli: cli.map((p) => ` ${p}`).join("") };
}

/** The report, usage and status queries advice items cite. */
export function adviceQueries(from: number, to: number, dims: Dimensions | undefined) {
  const range = `from=${iso(from)}&to=${iso(to)}`;
  const cliRange = `--from ${iso(from)} --to ${iso(to)}`;
  const by = ADVICE_GROUP_BY.join(",");
  const report = (
    extra: { tags?: string[] } = {},
    read = "the row of the group: cost, events, tokens; the total: the spend",
  ): AdviceQuery => {
    const f = filters({ ...dims, ...extra });
    return {
      http: `GET /v1/reports?groupBy=${by}&${range}${f.http}`,
      cli: `budget report --group-by ${by} ${cliRange}${f.cli}`,
      read,
    };
  };
  return {
    report: report(),
    tagged: (tag: string) =>
      report({ tags: [tag] }, `the row of the group: the calls tagged ${tag} and their cost`),
    /** The calls of a group (a null dimension is not a filter: read only events without it). */
    usage: (g: LedgerGroup["group"]): AdviceQuery => {
      const f = filters({ ...dims, ...g });
      return {
        http: `GET /v1/usage?${range}${f.http}`,
        cli: `budget export --format json ${cliRange}${f.cli}`,
        read: "the group's usage events, each priced on its own with the listed price versions",
      };
    },
    version: (id: string): AdviceQuery => ({
      http: `GET /v1/prices/versions/${encodeURIComponent(id)}`,
      cli: `budget prices show --json # version ${id}`,
      read: "the rates used",
    }),
    status: (budgetId: string): AdviceQuery => ({
      http: `GET /v1/status?budgetId=${encodeURIComponent(budgetId)}`,
      cli: `budget status ${budgetId} --json`,
      read: "the limit's row: used, reserved, limit, windowStart, resetsAt",
    }),
  };
}

/**
 * Low cache reads on models with prompt caching (a cache-read price or the capability), and
 * full-price calls a batch price covers, for each material group.
 */
export function cacheAdvice(material: LedgerGroup[], ctx: AdviceContext): AdviceItem[] {
  const items: AdviceItem[] = [];
  for (const g of material) {
    const { provider, model } = g.group;
    const v = model ? ctx.catalog.resolve({ provider: provider ?? undefined, model, at: ctx.now }) : null;
    const u = g.usage;
    const inputSide = u.inputTokens + u.cacheReadTokens + u.cacheWriteTokens + u.cacheWrite1hTokens;
    const caches = v && (v.tokenRates.cacheRead !== undefined || v.capabilities?.promptCaching === true);
    if (v && caches && inputSide > 0 && u.cacheReadTokens * 5 < inputSide) {
      const moved = Math.floor(inputSide / 10);
      const saving =
        v.tokenRates.cacheRead === undefined
          ? null
          : computeCostNanoUsd(v, makeUsage({ inputTokens: moved }), { at: ctx.now }) -
            computeCostNanoUsd(v, makeUsage({ cacheReadTokens: moved }), { at: ctx.now });
      items.push({
        kind: "low_cache_reads",
        title: `${model}: ${pct1(u.cacheReadTokens, inputSide)}% of input-side tokens were cache reads, on a model with prompt caching`,
        scope: g.group,
        figures: {
          inputTokens: u.inputTokens,
          cacheReadTokens: u.cacheReadTokens,
          cacheWriteTokens: u.cacheWriteTokens + u.cacheWrite1hTokens,
          cacheReadPct: pct1(u.cacheReadTokens, inputSide),
          tokensPer10Points: moved,
          savingPer10PointsUsd: saving === null ? null : formatUsd(saving),
          priceVersionId: v.id,
        },
        method:
          "cacheReadPct = cacheReadTokens / (input + cache read + cache write tokens) over the group's calls (flagged under 20%); savingPer10PointsUsd = the price now of tokensPer10Points (10% of input-side tokens) as input tokens minus as cache reads.",
        queries: [ctx.queries.usage(g.group), ctx.queries.version(v.id)],
      });
    }
    if (g.fullPriceBatchableNanoUsd > 0n) {
      const saving = g.fullPriceBatchableNanoUsd - g.atBatchPriceNanoUsd;
      items.push({
        kind: "batch",
        title: `${model}: ${formatUsd(g.fullPriceBatchableNanoUsd)} USD was spent at full price on a model with batch prices`,
        scope: g.group,
        figures: {
          fullPriceUsd: formatUsd(g.fullPriceBatchableNanoUsd),
          atBatchPriceUsd: formatUsd(g.atBatchPriceNanoUsd),
          savingUsd: formatUsd(saving),
        },
        method:
          "A call counts as full price when its ledger cost equals its price version's full price for its usage; atBatchPriceUsd re-prices those calls with the same version at its batch multiplier (work that can wait up to a day).",
        queries: [ctx.queries.report, ctx.queries.usage(g.group)],
      });
    }
  }
  return items;
}

function pct1(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.floor((part / whole) * 1000) / 10;
}

/** When a limit runs out at its current pace: `now + remaining × elapsed / used`, or null. */
function runOutAt(
  used: number | bigint,
  remaining: number | bigint,
  elapsedMs: number,
  now: number,
): number | null {
  const u = BigInt(used);
  const r = BigInt(remaining);
  if (u <= 0n || elapsedMs <= 0) return null;
  if (r <= 0n) return now;
  return now + Number((r * BigInt(elapsedMs)) / u);
}

/** Limits whose pace in the current window would exhaust them before the window resets. */
export function budgetForecasts(
  rows: LimitStatus[],
  now: number,
  queries: ReturnType<typeof adviceQueries>,
): AdviceItem[] {
  const items: AdviceItem[] = [];
  for (const row of rows) {
    if (row.resetsAt === null) continue;
    const elapsed = now - row.windowStart;
    const candidates: { amount: "cost" | "tokens"; at: number }[] = [];
    if (row.limit.costNanoUsd !== undefined) {
      const left = row.limit.costNanoUsd - row.used.costNanoUsd - row.reserved.costNanoUsd;
      const at = runOutAt(row.used.costNanoUsd, left, elapsed, now);
      if (at !== null) candidates.push({ amount: "cost", at });
    }
    if (row.limit.tokens !== undefined) {
      const left = row.limit.tokens - row.used.tokens - row.reserved.tokens;
      const at = runOutAt(row.used.tokens, left, elapsed, now);
      if (at !== null) candidates.push({ amount: "tokens", at });
    }
    const first = candidates.sort((a, b) => a.at - b.at)[0];
    if (!first || first.at >= row.resetsAt) continue;
    items.push({
      kind: "budget_forecast",
      title: `budget ${row.budgetId} limit ${row.limitId}${row.partition ? ` (${row.partition})` : ""} runs out of ${first.amount} on ${iso(first.at)}, before it resets on ${iso(row.resetsAt)}`,
      scope: { budgetId: row.budgetId, limitId: row.limitId, partition: row.partition },
      figures: {
        amount: first.amount,
        runsOutAt: iso(first.at),
        resetsAt: iso(row.resetsAt),
        windowStart: iso(row.windowStart),
        usedCostUsd: formatUsd(row.used.costNanoUsd),
        limitCostUsd: row.limit.costNanoUsd === undefined ? null : formatUsd(row.limit.costNanoUsd),
        usedTokens: row.used.tokens,
        limitTokens: row.limit.tokens ?? null,
      },
      method:
        "At the pace of the current window so far (used / (now − windowStart)), the limit's remaining amount (limit − used − reserved) is gone at now + remaining × (now − windowStart) / used.",
      queries: [queries.status(row.budgetId)],
    });
  }
  return items;
}

/** Calls whose usage the caller could only estimate, or that carried fields not understood. */
export function unreconciledAdvice(groups: LedgerGroup[], ctx: AdviceContext): AdviceItem[] {
  const items: AdviceItem[] = [];
  for (const g of groups) {
    for (const tag of ESTIMATE_TAGS) {
      const t = g.estimated[tag];
      if (!t) continue;
      items.push({
        kind: "unreconciled_estimates",
        title: `${g.group.component ?? "(no component)"} / ${g.group.model ?? "(no model)"}: ${t.calls} call(s) tagged ${tag} (${formatUsd(t.costNanoUsd)} USD) were never reconciled with reported usage`,
        scope: g.group,
        figures: { tag, calls: t.calls, costUsd: formatUsd(t.costNanoUsd) },
        method:
          tag === "estimated"
            ? "Usage events tagged `estimated`: the provider reported no usage, so the hold's estimate was committed."
            : "Usage events tagged `unverified`: the provider's usage carried fields the adapter does not understand.",
        queries: [ctx.queries.tagged(tag)],
      });
    }
  }
  return items;
}
