import type { Dimensions } from "../budget/dimensions.js";
import type { Catalog } from "../catalog/catalog-port.js";
import { computeCostNanoUsd } from "../cost/compute-cost.js";
import { type NanoUsd, usdToNano } from "../money/nano-usd.js";
import type { PricingOutcome } from "../ports/store.js";
import type { PriceVersion, TokenRates, UnitRates } from "../price/price.js";
import type { Usage } from "../usage/usage.js";

/**
 * What to do with a model the catalog cannot price: `deny` (reservations are denied, records
 * fail with `unknown_model`), or charge a configured fallback price. Never a silent $0.
 */
export type UnknownModelPolicy =
  | { mode: "deny" }
  | { mode: "fallback_price"; tokenRates: TokenRates; unitRates?: UnitRates };

/**
 * A usage's price: its cost, the version that produced it, and the provider the catalog resolved
 * the model to (null when it did not resolve), which the engine stores when none was given.
 */
export type Priced =
  | {
      ok: true;
      costNanoUsd: NanoUsd;
      priceVersionId: string | null;
      pricing: PricingOutcome;
      resolvedProvider?: string | null;
    }
  | { ok: false; provider: string | null; model: string | null };

/**
 * The dimensions with the provider the catalog resolved the model to, when none was given: so
 * `record --model claude-sonnet-4-5` is stored (and matched, and broken down) as `anthropic`.
 */
export function withResolvedProvider(dims: Dimensions, priced: Priced): Dimensions {
  if (dims.provider || !priced.ok || !priced.resolvedProvider) return dims;
  return { ...dims, provider: priced.resolvedProvider };
}

/** Prices usage through the catalog, an explicit cost, or the unknown-model fallback. */
export function createPricer(catalog: Catalog, policy: UnknownModelPolicy) {
  const fallback: PriceVersion | null =
    policy.mode === "fallback_price"
      ? {
          id: "fallback",
          provider: "*",
          model: "*",
          tokenRates: policy.tokenRates,
          unitRates: policy.unitRates ?? {},
          effectiveFrom: 0,
          effectiveTo: null,
          source: "config",
        }
      : null;

  return function price(input: {
    dimensions: Dimensions;
    usage: Usage;
    at: number;
    batch: boolean;
    costUsd?: string | undefined;
  }): Priced {
    const { provider, model } = input.dimensions;
    const version = model ? catalog.resolve({ provider, model, at: input.at }) : null;
    const resolvedProvider = version?.provider ?? null;
    if (input.costUsd !== undefined) {
      const costNanoUsd = usdToNano(input.costUsd);
      return { ok: true, costNanoUsd, priceVersionId: null, pricing: "explicit", resolvedProvider };
    }
    const used = version ?? fallback;
    if (!used) return { ok: false, provider: provider ?? null, model: model ?? null };
    return {
      ok: true,
      costNanoUsd: computeCostNanoUsd(used, input.usage, { batch: input.batch, at: input.at }),
      priceVersionId: used.id,
      pricing: version ? "priced" : "fallback_price",
      resolvedProvider,
    };
  };
}
