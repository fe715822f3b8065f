import { reconcileToWire } from "@budget/client";
import {
  allEvents,
  createBudgetEngine,
  type EventQuery,
  randomIds,
  type Store,
  type UsageEvent,
} from "@budget/core";
import { repriceRange } from "@budget/prices";
import type { Settings, StoreTarget } from "@budget/server/config";
import type { Backend } from "./backend.js";
import { loadLocalCatalog } from "./local-catalog.js";
import { localEngineOptions } from "./local-engine-options.js";
import { createLocalKeys } from "./local-keys.js";
import { createLocalPrices } from "./local-prices.js";

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

async function compose(store: Store, options: LocalBackendOptions): Promise<Backend> {
  const config = options.settings?.config;
  const catalog = await loadLocalCatalog(store, config?.prices.aliasRules ?? []);
  const engine = createBudgetEngine({ store, catalog, ...localEngineOptions(config) });
  return {
    mode: "local",
    description: options.description,
    from: options.from,
    client: engine,
    events: (query: EventQuery): AsyncIterable<UsageEvent> => allEvents(store, query),
    alerts: {
      list: async (q) => (await store.listAlerts(q)).alerts,
      ack: (id) => store.acknowledgeAlert(id, engine.clock.now()),
    },
    prices: createLocalPrices(engine, config),
    keys: createLocalKeys(store),
    maintenance: {
      reconcile: async (repair) => reconcileToWire(await engine.reconcile({ repair }), repair),
      reprice: (input) =>
        repriceRange({
          ...input,
          store,
          catalog,
          clock: engine.clock,
          ids: randomIds,
          appendEvent: (e) => engine.appendEvent(e),
        }),
    },
    close: () => store.close(),
  };
}
