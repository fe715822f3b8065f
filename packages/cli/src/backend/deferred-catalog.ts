import {
  type BudgetClient,
  type BudgetEngine,
  createBudgetEngine,
  createCatalog,
  type Store,
} from "@budget/core";
import type { ServerConfig } from "@budget/server/config";
import { localEngineOptions } from "./local-engine-options.js";

/** The engines of a local backend: one without prices now, one with the catalog on first need. */
export interface LocalEngines {
  /** Over the same store with an empty catalog: for what never prices (status, budgets, runs). */
  readonly light: BudgetEngine;
  /** The engine with the database's catalog, loaded once on first call. */
  full(): Promise<BudgetEngine>;
  /** A `BudgetClient` sending each call to the engine it needs. */
  readonly client: BudgetClient;
}

/**
 * Building the catalog (the store's price versions, the bundled aliases, the name index) is most
 * of a local `budget status`: commands that never price a call skip it. Pricing calls (reserve,
 * commit, record, estimates, budget definitions, which may name fallback models) wait for it.
 */
export function createLocalEngines(store: Store, config: ServerConfig | undefined): LocalEngines {
  const options = localEngineOptions(config);
  const light = createBudgetEngine({ store, catalog: createCatalog({ versions: [] }), ...options });
  let loaded: Promise<BudgetEngine> | undefined;
  const full = () => {
    loaded ??= import("./local-catalog.js")
      .then((m) => m.loadLocalCatalog(store, config?.prices.aliasRules ?? []))
      .then((catalog) => createBudgetEngine({ store, catalog, ...options }));
    return loaded;
  };
  const client: BudgetClient = {
    reserve: async (req) => (await full()).reserve(req),
    commit: async (req) => (await full()).commit(req),
    release: async (id) => (await full()).release(id),
    record: async (req) => (await full()).record(req),
    estimateCost: async (input) => (await full()).estimateCost(input),
    recommendModels: async (req) => (await full()).recommendModels(req),
    advise: async (query) => (await full()).advise(query),
    upsertBudget: async (input) => (await full()).upsertBudget(input),
    startRun: async (input) => (await full()).startRun(input),
    finishRun: async (id, input) => (await full()).finishRun(id, input),
    status: (query) => light.status(query),
    statusSummary: (query) => light.statusSummary(query),
    report: (query) => light.report(query),
    getBudget: (id) => light.getBudget(id),
    listBudgets: () => light.listBudgets(),
    deleteBudget: (id) => light.deleteBudget(id),
    resetBudget: (id) => light.resetBudget(id),
    getRun: (id) => light.getRun(id),
    listRuns: (query) => light.listRuns(query),
  };
  return { light, full, client };
}
