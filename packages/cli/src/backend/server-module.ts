import type { MemoryCatalog, Store } from "@budget/core";

/** What the CLI uses of `@budget/server` beyond its typed exports, looked up by name. */
export interface ServerModule {
  /** Composes and starts the service (config file + BUDGET_* environment overrides). */
  startServer?: (options: { configFile?: string; handleSignals?: boolean }) => Promise<{
    url: string;
    adminKey: string | null;
    close(): Promise<void>;
  }>;
  /** The server's catalog composition: store versions (seeded with the bundled ones) + bundled aliases. */
  loadStoreCatalog?: (store: Store) => Promise<{ catalog: MemoryCatalog; seeded: number }>;
}

let loaded: Promise<ServerModule> | undefined;

/** Loads `@budget/server` once (it is heavy: only `serve` and local databases need it). */
export function loadServerModule(): Promise<ServerModule> {
  loaded ??= import("@budget/server").then((m) => m as unknown as ServerModule);
  return loaded;
}
