import { reconcileToWire } from "@budget/client";
import { allEvents, createBudgetEngine, type EventQuery, randomIds, type UsageEvent } from "@budget/core";
import { repriceRange } from "@budget/prices";
import { createSqliteStore, type SqliteStore } from "@budget/store/sqlite";
import type { Backend } from "./backend.js";
import { loadLocalCatalog } from "./local-catalog.js";
import { localAliasRules, localEngineOptions } from "./local-engine-options.js";
import { createLocalKeys } from "./local-keys.js";
import { createLocalPrices } from "./local-prices.js";

/** Options of {@link openLocalBackend}. */
export interface LocalBackendOptions {
  /** The SQLite database file. */
  file: string;
}

/**
 * Opens a local database file: the in-process engine over a SQLite store. A command writes a
 * batch or two and exits, so SQLite checkpoints on this connection as usual: no background
 * checkpoint thread to start and stop (that suits a long-running server).
 */
export async function openLocalBackend(options: LocalBackendOptions): Promise<Backend> {
  const store = await createSqliteStore({ file: options.file, checkpointIntervalMs: 0 });
  try {
    return await compose(store, options.file);
  } catch (err) {
    await store.close();
    throw err;
  }
}

async function compose(store: SqliteStore, file: string): Promise<Backend> {
  const catalog = await loadLocalCatalog(store, await localAliasRules());
  const engine = createBudgetEngine({ store, catalog, ...(await localEngineOptions()) });
  return {
    mode: "local",
    target: file,
    client: engine,
    events: (query: EventQuery): AsyncIterable<UsageEvent> => allEvents(store, query),
    alerts: {
      list: async (q) => (await store.listAlerts(q)).alerts,
      ack: (id) => store.acknowledgeAlert(id, engine.clock.now()),
    },
    prices: createLocalPrices(engine),
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
