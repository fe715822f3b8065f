import { type BudgetEngine, isBudgetError, randomIds } from "@budget/core";
import { createPriceUpdater } from "@budget/prices";
import type { ServerConfig } from "@budget/server/config";
import { usageError } from "../exit-codes.js";
import type { PricesApi } from "./backend.js";
import { versionsInForce } from "./local-catalog.js";
import { parseSourceSpec, runLocalPriceUpdate } from "./local-price-update.js";

/** The fetchable sources of the config file (`--config` or BUDGET_CONFIG), as `--source` specs. */
function configuredSources(config: ServerConfig | undefined): string[] {
  if (!config) return [];
  return config.prices.sources
    .filter((s) => s.enabled && s.type !== "bundled" && s.type !== "manual")
    .map((s) => (s.type === "file" ? `file:${s.file ?? ""}` : s.url ? `${s.type}=${s.url}` : s.type));
}

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
export function createLocalPrices(engine: BudgetEngine, config?: ServerConfig): PricesApi {
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
    async resolve(q) {
      return catalog.explain({ provider: q.provider, model: q.model, at: q.at ?? clock.now() });
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
    decideMany: (decision, filter) => decider.decideMany(decision, filter),
    async update(o) {
      const specs = o.sources?.length ? o.sources : configuredSources(config);
      if (specs.length === 0)
        throw usageError(
          "no price sources: give --source litellm|openrouter|genai-prices|file:<path> (or list them in the config file, --config or BUDGET_CONFIG)",
        );
      return runLocalPriceUpdate({
        store,
        clock,
        sources: specs.map(parseSourceSpec),
        dryRun: o.dryRun,
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
      });
    },
  };
}
