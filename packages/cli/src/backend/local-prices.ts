import { type BudgetEngine, isBudgetError, randomIds } from "@budget/core";
import { createPriceUpdater } from "@budget/prices";
import { CliError, EXIT } from "../exit-codes.js";
import type { PricesApi } from "./backend.js";
import { versionsInForce } from "./local-catalog.js";

async function orFalse(p: Promise<unknown>): Promise<boolean> {
  try {
    await p;
    return true;
  } catch (err) {
    if (isBudgetError(err, "not_found")) return false;
    throw err;
  }
}

/** The price catalog of a local database: the engine's catalog, decisions through the updater. */
export function createLocalPrices(engine: BudgetEngine): PricesApi {
  const { catalog, store, clock } = engine;
  // Approve and reject need no sources: they act on changes already stored.
  const decider = createPriceUpdater({ store, sources: [], clock, ids: randomIds });
  return {
    async list(q) {
      return versionsInForce(catalog.versions(), clock.now()).filter(
        (v) => (!q.provider || v.provider === q.provider) && (!q.model || v.model.includes(q.model)),
      );
    },
    async show(q) {
      return catalog.resolve({ provider: q.provider, model: q.model, at: clock.now() });
    },
    async history(q) {
      const now = catalog.resolve({ provider: q.provider, model: q.model, at: clock.now() });
      if (!now) return [];
      return catalog
        .versions()
        .filter((v) => v.provider === now.provider && v.model === now.model)
        .sort((a, b) => a.effectiveFrom - b.effectiveFrom);
    },
    pending: () => store.listPendingPriceChanges({ status: "pending" }),
    approve: (id) => orFalse(decider.approve(id)),
    reject: (id) => orFalse(decider.reject(id)),
    update: () => {
      throw new CliError(
        "prices update on a local database needs the server's source configuration: run it against `budget serve` with --url",
        EXIT.error,
        "unsupported",
      );
    },
  };
}
