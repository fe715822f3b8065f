import {
  allEvents,
  BudgetError,
  type EventQuery,
  randomIds,
  reconcileToWire,
  type Store,
  type UsageEvent,
} from "@budget/core";
import type { Settings, StoreTarget } from "@budget/server/config";
import type { Backend, PricesApi } from "./backend.js";
import { createLocalEngines, type LocalEngines } from "./deferred-catalog.js";
import { createLocalKeys } from "./local-keys.js";

/** Options of {@link openLocalBackend}. */
export interface LocalBackendOptions {
  /** The database: a SQLite file or a PostgreSQL URL. */
  store: StoreTarget;
  /** The resolved settings (config file included): engine options and price sources; null for none. */
  settings?: Settings | null;
  /** For messages: what and where, and which setting chose it. */
  description: string;
  from: string;
}

/**
 * Opens the database the settings name and runs the engine in process over it. A command writes a
 * batch or two and exits, so SQLite checkpoints on this connection as usual (no background
 * checkpoint thread), and PostgreSQL gets a small pool.
 */
export async function openLocalBackend(options: LocalBackendOptions): Promise<Backend> {
  const store = await openStore(options.store);
  try {
    return await compose(store, options);
  } catch (err) {
    await store.close();
    throw err;
  }
}

async function openStore(target: StoreTarget): Promise<Store> {
  if (target.kind === "postgres") {
    const { createPostgresStore } = await import("@budget/store/postgres");
    return createPostgresStore({ url: target.url, poolSize: 2 });
  }
  const { createSqliteStore } = await import("@budget/store/sqlite");
  return createSqliteStore({ file: target.file, checkpointIntervalMs: 0 });
}

/** The prices API, built (with `@budget/prices` and the catalog) on its first call. */
function deferredPrices(engines: LocalEngines, config: Settings["config"] | undefined): PricesApi {
  let built: Promise<PricesApi> | undefined;
  const api = () => {
    built ??= Promise.all([engines.full(), import("./local-prices.js")]).then(([engine, m]) =>
      m.createLocalPrices(engine, config),
    );
    return built;
  };
  return {
    list: async (q) => (await api()).list(q),
    show: async (q) => (await api()).show(q),
    history: async (q) => (await api()).history(q),
    resolve: async (q) => (await api()).resolve(q),
    pending: async () => (await api()).pending(),
    approve: async (id) => (await api()).approve(id),
    reject: async (id) => (await api()).reject(id),
    decideMany: async (decision, filter) => (await api()).decideMany(decision, filter),
    update: async (options) => (await api()).update(options),
  };
}

async function compose(store: Store, options: LocalBackendOptions): Promise<Backend> {
  const config = options.settings?.config;
  const engines = createLocalEngines(store, config);
  const { light: engine } = engines;
  return {
    mode: "local",
    description: options.description,
    from: options.from,
    client: engines.client,
    events: (query: EventQuery): AsyncIterable<UsageEvent> => allEvents(store, query),
    async *budgetPages(pageSize) {
      for (let offset = 0; ; offset += pageSize) {
        const page = await engine.budgetStatuses({ order: "id", offset, limit: pageSize });
        yield page.items;
        if (page.items.length === 0 || offset + page.items.length >= page.total) return;
      }
    },
    alerts: {
      list: async (q) => (await store.listAlerts(q)).alerts,
      ack: (id) => store.acknowledgeAlert(id, engine.clock.now()),
    },
    prices: deferredPrices(engines, config),
    keys: createLocalKeys(store),
    assistant: {
      ask: async (question) =>
        (await import("./local-assistant.js")).askLocalAssistant(await engines.full(), config, question),
    },
    maintenance: {
      reconcile: async (repair) =>
        reconcileToWire(await (await engines.full()).reconcile({ repair }), repair),
      reprice: async (input) => {
        const [full, { repriceRange }] = await Promise.all([engines.full(), import("@budget/prices")]);
        return repriceRange({
          ...input,
          store,
          catalog: full.catalog,
          clock: full.clock,
          ids: randomIds,
          appendEvent: (e) => full.appendEvent(e),
        });
      },
    },
    close: () => store.close(),
  };
}
