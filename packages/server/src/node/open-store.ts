import { BudgetError, type Store } from "@budget/core";
import type { ServerConfig } from "../config/config-schema.js";

/** Opens the configured store: PostgreSQL when `database.url` is set, else the SQLite file. */
export async function openStore(config: ServerConfig): Promise<Store> {
  const mod = (await import("@budget/store")) as Record<string, unknown>;
  if (config.database.url) {
    const createPostgresStore = mod.createPostgresStore as
      | ((o: { url: string }) => Promise<Store>)
      | undefined;
    if (!createPostgresStore)
      throw new BudgetError("store_unavailable", "this build has no PostgreSQL store; unset database.url");
    return createPostgresStore({ url: config.database.url });
  }
  const createSqliteStore = mod.createSqliteStore as (o: { file: string }) => Promise<Store>;
  return createSqliteStore({ file: config.database.file });
}
