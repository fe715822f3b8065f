import { z } from "zod";
import { dimensionsSchema } from "../budget/dimensions.js";
import type { Catalog } from "../catalog/catalog-port.js";
import { computeCost } from "../cost/compute-cost.js";
import { formatUsd } from "../money/nano-usd.js";
import { capabilityRequirementsSchema, checkCapabilities } from "../price/capabilities.js";
import type { PriceVersion } from "../price/price.js";
import { addUsage, emptyUsage, makeUsage, type Usage, usageInputSchema } from "../usage/usage.js";
import type { modelRecommendationSchema } from "../wire/admin-schemas.js";

const name = z.string().min(1).max(256);

/** Zod schema of a {@link ModelRecommendationRequest}. */
export const modelRecommendationRequestSchema = z
  .object({
    /** The model used now: savings are computed against it. */
    current: z.object({ provider: name.optional(), model: name }).strict().optional(),
    /** The typical usage of one call. */
    usage: usageInputSchema.optional(),
    /** How many such calls (default 1). */
    calls: z.number().int().min(1).max(1_000_000_000).default(1),
    /** A usage sample instead of `usage`: each call priced on its own (long-context tiers apply per call). */
    sample: z.array(usageInputSchema).min(1).max(1000).optional(),
    /** What the call needs of a model; an unknown capability does not qualify. */
    requires: capabilityRequirementsSchema.optional(),
    /** Only models of these providers. */
    providers: z.array(name).min(1).max(100).optional(),
    /** Price the work as batch requests. */
    batch: z.boolean().default(false),
    /** The call's dimensions: each model is checked against the budgets that would match it. */
    dimensions: dimensionsSchema.optional(),
    /** How many ranked models to return (default 10). */
    limit: z.number().int().min(1).max(200).default(10),
  })
  .strict()
  .refine((r) => (r.usage === undefined) !== (r.sample === undefined), {
    message: "give exactly one of usage or sample",
    path: ["usage"],
  });

/** What to recommend a model for. */
export type ModelRecommendationRequest = z.input<typeof modelRecommendationRequestSchema>;
type Parsed = z.output<typeof modelRecommendationRequestSchema>;

/** The answer of {@link recommendModels}: its schema is the wire module's. */
export type ModelRecommendation = z.infer<typeof modelRecommendationSchema>;
/** One ranked model. Money is USD decimal text (nine decimals), as on the wire. */
export type ModelOption = ModelRecommendation["ranked"][number];
/** Whether the work fits the budgets that would match a model (null: not asked). */
export type BudgetFit = NonNullable<ModelOption["budget"]>;

/** Answers "does this much usage fit the budgets matching these dimensions now?" (advisory). */
export type BudgetFitCheck = (
  dimensions: z.output<typeof dimensionsSchema>,
  usage: Usage,
  costNanoUsd: bigint,
) => Promise<BudgetFit>;

const key = (v: { provider: string; model: string }) => `${v.provider}\u0000${v.model}`;

/** The cost of the calls under one version, or null when a bucket the usage fills has no rate. */
function costOf(v: PriceVersion, calls: Usage[], times: number, batch: boolean, at: number): bigint | null {
  let total = 0n;
  for (const u of calls) {
    const c = computeCost(v, u, { batch, at });
    if (c.unpriced.length > 0) return null;
    total += c.costNanoUsd;
  }
  return total * BigInt(times);
}

function pct(saving: bigint, base: bigint): number | null {
  if (base === 0n) return null;
  return Number((saving * 10_000n) / base) / 100;
}

/**
 * Ranks the catalog's models in force at `at` that meet the requirements by what the given usage
 * would cost on each (every call priced on its own, rounded once per call, as the ledger would),
 * with the saving against the current model and, with `dimensions` and `fitCheck`, whether the work
 * fits the budgets that would match each model now.
 *
 * @example await recommendModels(catalog, { current: { model: "gpt-4o" }, usage: { inputTokens: 2000, outputTokens: 300 }, requires: { capabilities: ["tools"] } }, Date.now())
 */
export async function recommendModels(
  catalog: Catalog,
  input: ModelRecommendationRequest | Parsed,
  at: number,
  fitCheck?: BudgetFitCheck,
): Promise<ModelRecommendation> {
  const req = modelRecommendationRequestSchema.parse(input);
  const calls = req.sample ? req.sample.map(makeUsage) : [makeUsage(req.usage)];
  const times = req.sample ? 1 : req.calls;
  const usage = calls.reduce((sum, u) => addUsage(sum, u), emptyUsage());
  const total = times === 1 ? usage : scaleUsage(usage, times);
  const currentVersion = req.current ? catalog.resolve({ ...req.current, at }) : null;
  const currentCost = currentVersion ? costOf(currentVersion, calls, times, req.batch, at) : null;
  const providers = req.providers ? new Set(req.providers) : null;
  const excluded = { missing: 0, unknown: 0, unpriced: 0 };
  const options: { v: PriceVersion; cost: bigint }[] = [];
  const seen = new Set<string>();
  for (const v of catalog.versions()) {
    if (v.effectiveFrom > at || (v.effectiveTo !== null && at >= v.effectiveTo)) continue;
    if (providers && !providers.has(v.provider)) continue;
    if (seen.has(key(v))) continue;
    seen.add(key(v));
    const check = checkCapabilities(v.capabilities, req.requires);
    if (check.missing.length > 0) excluded.missing += 1;
    else if (!check.ok) excluded.unknown += 1;
    if (!check.ok) continue;
    const cost = costOf(v, calls, times, req.batch, at);
    if (cost === null) excluded.unpriced += 1;
    else options.push({ v, cost });
  }
  options.sort(
    (a, b) =>
      (a.cost < b.cost ? -1 : a.cost > b.cost ? 1 : 0) ||
      a.v.provider.localeCompare(b.v.provider) ||
      a.v.model.localeCompare(b.v.model),
  );
  const option = async (v: PriceVersion, cost: bigint): Promise<ModelOption> => {
    const saving = currentCost === null ? null : currentCost - cost;
    return {
      provider: v.provider,
      model: v.model,
      priceVersionId: v.id,
      costUsd: formatUsd(cost),
      savingUsd: saving === null ? null : formatUsd(saving),
      savingPct: saving === null || currentCost === null ? null : pct(saving, currentCost),
      budget:
        req.dimensions && fitCheck
          ? await fitCheck({ ...req.dimensions, provider: v.provider, model: v.model }, total, cost)
          : null,
      capabilities: v.capabilities ?? null,
      current: currentVersion !== null && key(v) === key(currentVersion),
    };
  };
  const ranked: ModelOption[] = [];
  for (const o of options.slice(0, req.limit)) ranked.push(await option(o.v, o.cost));
  return {
    at,
    usage: total,
    calls: calls.length * times,
    requires: req.requires ?? null,
    current: currentVersion && currentCost !== null ? await option(currentVersion, currentCost) : null,
    ranked,
    qualifying: options.length,
    excluded,
    method:
      "Each call is priced with computeCost on the price version in force at `at` (rounded once per call, half-up, to nano-USD), times `calls`; savingUsd = current cost − this cost; models whose capabilities miss or do not state a requirement, or that have no rate for a bucket the usage fills, are left out.",
  };
}

function scaleUsage(u: Usage, times: number): Usage {
  const out = { ...u };
  for (const k of Object.keys(out) as (keyof Usage)[]) out[k] = u[k] * times;
  return out;
}
