import { type BudgetClient, type Dimensions, formatUsd, type Usage } from "@budget/core";
import { checkBudget } from "./check-budget.js";

/** How {@link recommendModel} picks among the candidates that fit. */
export type RecommendRule = "first_fit" | "cheapest";

/** What {@link recommendModel} is asked. */
export interface RecommendInput {
  /** Model ids; for `first_fit`, most preferred (most capable) first. */
  candidates: string[];
  estimate: Partial<Usage>;
  dimensions?: Dimensions | undefined;
  provider?: string | undefined;
  rule?: RecommendRule | undefined;
}

/**
 * Recommends a model whose estimated call fits every matching budget now. A candidate fits when
 * a reservation for it (with `model` set to it) is allowed as is — not merely through a soft
 * limit's fallback. `first_fit` (default) returns the first fitting candidate in the order given,
 * so list the most capable first; `cheapest` returns the fitting one with the lowest estimated
 * cost (ties: the earlier). Unpriced models never fit. Null when none fits.
 */
export async function recommendModel(client: BudgetClient, input: RecommendInput) {
  const rule = input.rule ?? "first_fit";
  const rows = [];
  for (const model of input.candidates) {
    const dimensions = {
      ...input.dimensions,
      ...(input.provider ? { provider: input.provider } : {}),
      model,
    };
    const priced = await client.estimateCost({
      ...(input.provider ? { provider: input.provider } : {}),
      model,
      usage: input.estimate,
    });
    const check = await checkBudget(client, { dimensions, estimate: input.estimate });
    const fits = check.allowed && check.fallbackModel === null;
    rows.push({
      model,
      fits,
      costNanoUsd: priced.ok ? priced.costNanoUsd : null,
      costUsd: priced.ok ? formatUsd(priced.costNanoUsd) : null,
      priceVersionId: priced.ok ? priced.priceVersionId : null,
      ...(check.allowed ? {} : { denial: check.denial }),
    });
  }
  const fitting = rows.filter((r) => r.fits && r.costNanoUsd !== null);
  const pick =
    rule === "first_fit"
      ? fitting[0]
      : fitting.reduce<(typeof fitting)[number] | undefined>(
          (best, r) =>
            best === undefined || (r.costNanoUsd as bigint) < (best.costNanoUsd as bigint) ? r : best,
          undefined,
        );
  return {
    recommended: pick?.model ?? null,
    rule,
    candidates: rows.map(({ costNanoUsd: _, ...r }) => r),
  };
}
