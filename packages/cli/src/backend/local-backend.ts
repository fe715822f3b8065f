import { type BudgetEngine, createBudgetEngine, type EventQuery, type UsageEvent } from "@budget/core";
import { createSqliteStore } from "@budget/store";
import { CliError, EXIT } from "../exit-codes.js";
import type { Backend, KeysApi, PricesApi } from "./backend.js";
import { loadLocalCatalog, versionsInForce } from "./local-catalog.js";

/** Options of {@link openLocalBackend}. */
export interface LocalBackendOptions {
  /** The SQLite database file. */
  file: string;
}

function notAvailable(what: string): never {
  throw new CliError(
    `${what} is not available on a local database in this version`,
    EXIT.error,
    "unsupported",
  );
}

function localPrices(engine: BudgetEngine): PricesApi {
  const { catalog, store, clock } = engine;
  const sameModel = (provider: string | undefined, model: string) => {
    const v = catalog.resolve({ provider, model, at: clock.now() });
    return v ? catalog.versions().filter((x) => x.provider === v.provider && x.model === v.model) : [];
  };
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
      return [...sameModel(q.provider, q.model)].sort((a, b) => a.effectiveFrom - b.effectiveFrom);
    },
    pending: () => store.listPendingPriceChanges({ status: "pending" }),
    approve: () => notAvailable("prices approve"),
    reject: (id) => store.decidePendingPriceChange(id, "rejected", clock.now()),
    update: () => notAvailable("prices update"),
  };
}

const localKeys: KeysApi = {
  create: () => notAvailable("keys"),
  list: () => notAvailable("keys"),
  revoke: () => notAvailable("keys"),
};

/** Opens a local database file: the in-process engine over a SQLite store. */
export async function openLocalBackend(options: LocalBackendOptions): Promise<Backend> {
  const store = await createSqliteStore({ file: options.file });
  const catalog = await loadLocalCatalog(store);
  const engine = createBudgetEngine({ store, catalog });
  return {
    mode: "local",
    target: options.file,
    client: engine,
    async *events(query: EventQuery): AsyncIterable<UsageEvent> {
      let cursor: string | undefined;
      do {
        const page = await store.listEvents({ ...query, limit: 1000, ...(cursor ? { cursor } : {}) });
        yield* page.events;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    },
    alerts: {
      list: async (q) => (await store.listAlerts(q)).alerts,
      ack: (id) => store.acknowledgeAlert(id, engine.clock.now()),
    },
    runs: {
      list: async (q) => (await store.listRuns(q)).runs,
      get: (id) => store.getRun(id),
    },
    prices: localPrices(engine),
    keys: localKeys,
    close: () => store.close(),
  };
}
