import { formatUsd } from "../money/nano-usd.js";
import type { EventQuery, Store } from "../ports/store.js";
import type { CapabilityRequirements, Modality, ModelCapabilities } from "../price/capabilities.js";
import { CAPABILITY_FLAGS } from "../price/capabilities.js";
import type { Usage } from "../usage/usage.js";
import type { AdviceContext } from "./advice-items.js";
import { type LedgerGroup, repriceGroups, sharePct } from "./ledger-groups.js";
import { recommendModels } from "./recommend-models.js";
import type { AdviceItem } from "./spend-advice.js";

/**
 * What an alternative must offer: every feature and modality published as true of the current model
 * (prompt caching and batch aside), and room for the group's largest call where the current model
 * publishes its own context window or output size.
 */
export function requirementsOf(caps: ModelCapabilities | undefined, g: LedgerGroup): CapabilityRequirements {
  const req: CapabilityRequirements = {};
  // Caching and batch change the price, not what the model can do: not required of an alternative.
  const flags = CAPABILITY_FLAGS.filter((f) => caps?.[f] === true && f !== "batch" && f !== "promptCaching");
  if (flags.length > 0) req.capabilities = flags;
  const sides = (m: Partial<Record<Modality, boolean>> | undefined) =>
    Object.entries(m ?? {})
      .filter(([, v]) => v)
      .map(([k]) => k as Modality);
  if (sides(caps?.input).length > 0) req.input = sides(caps?.input);
  if (sides(caps?.output).length > 0) req.output = sides(caps?.output);
  // Sizes are required like for like: only when the current model publishes its own.
  if (g.maxInputSideTokens > 0 && caps?.contextWindow !== undefined)
    req.minContextTokens = g.maxInputSideTokens;
  if (g.maxOutputTokens > 0 && caps?.maxOutputTokens !== undefined) req.minOutputTokens = g.maxOutputTokens;
  return req;
}

/** The mean call of a group, rounded per field (a first ranking only; savings are exact). */
function meanCall(g: LedgerGroup): Partial<Usage> {
  const out: Partial<Usage> = {};
  for (const [k, v] of Object.entries(g.usage) as [keyof Usage, number][]) out[k] = Math.round(v / g.calls);
  return out;
}

/**
 * For each material group with a model: the models meeting its requirements, shortlisted by
 * {@link recommendModels} on the mean call, then priced exactly on every call of the group with the
 * prices in force now (each call on its own), against the current model repriced the same way.
 */
export async function cheaperModelAdvice(
  store: Store,
  query: EventQuery,
  material: LedgerGroup[],
  ctx: AdviceContext,
  count: number,
): Promise<AdviceItem[]> {
  const plans = [];
  for (const g of material) {
    const { provider, model } = g.group;
    if (!model || g.calls === 0) continue;
    const current = ctx.catalog.resolve({ provider: provider ?? undefined, model, at: ctx.now });
    if (!current) continue;
    const requires = requirementsOf(current.capabilities, g);
    const shortlist = await recommendModels(
      ctx.catalog,
      {
        current: { provider: current.provider, model: current.model },
        usage: meanCall(g),
        calls: g.calls,
        requires,
        limit: count + 1,
      },
      ctx.now,
    );
    const others = shortlist.ranked
      .filter((m) => !m.current && (m.savingUsd ?? "-").charAt(0) !== "-")
      .slice(0, count);
    if (others.length > 0) plans.push({ g, current, requires, others });
  }
  const targets = new Map(
    plans.map((p) => [
      p.g.key,
      [p.current, ...p.others.map((o) => ctx.catalog.getVersion(o.priceVersionId))]
        .filter((v) => v !== null)
        .map((v) => ({ id: v.id, version: v })),
    ]),
  );
  const sums = await repriceGroups(store, query, targets, ctx.now);
  const items: AdviceItem[] = [];
  for (const { g, current, requires, others } of plans) {
    const costs = sums.get(g.key) as Map<string, bigint>;
    const base = costs.get(current.id) ?? 0n;
    const alternatives = others
      .map((o) => ({ o, cost: costs.get(o.priceVersionId) ?? 0n }))
      .filter((a) => a.cost < base)
      .sort((a, b) => (a.cost < b.cost ? -1 : a.cost > b.cost ? 1 : 0))
      .map(({ o, cost }) => ({
        provider: o.provider,
        model: o.model,
        priceVersionId: o.priceVersionId,
        costUsd: formatUsd(cost),
        savingUsd: formatUsd(base - cost),
        savingPct: base === 0n ? null : Number(((base - cost) * 10_000n) / base) / 100,
      }));
    if (alternatives.length === 0) continue;
    const best = alternatives[0] as (typeof alternatives)[number];
    items.push({
      kind: "cheaper_model",
      title: `${g.group.component ?? "(no component)"} / ${g.group.taskType ?? "(no task type)"} on ${current.provider}/${current.model}: ${best.provider}/${best.model} would have cost ${best.savingUsd} USD less`,
      scope: g.group,
      figures: {
        costUsd: formatUsd(g.costNanoUsd),
        sharePct: sharePct(g.costNanoUsd, ctx.totalNanoUsd),
        calls: g.calls,
        repricedUsd: formatUsd(base),
        priceVersionId: current.id,
        requires: JSON.stringify(requires),
      },
      alternatives,
      method:
        "costUsd and sharePct: the group's row of the report over the total. repricedUsd: every usage event of the group priced on its own with the current model's price in force now; each alternative's costUsd the same with its version; savingUsd = repricedUsd − costUsd. Alternatives meet every capability published as true of the current model and fit the group's largest call (requires); unknown capabilities do not qualify.",
      queries: [ctx.queries.report, ctx.queries.usage(g.group), ctx.queries.version(current.id)],
    });
  }
  return items;
}
