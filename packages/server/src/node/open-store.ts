import type { Store } from "@budget/core";
import { createPostgresStore, createSqliteStore } from "@budget/store";
import type { ServerConfig } from "../config/config-schema.js";

/** Opens the configured store: PostgreSQL when `database.url` is set, else the SQLite file. */
export async function openStore(config: ServerConfig): Promise<Store> {
  if (config.database.url) return createPostgresStore({ url: config.database.url });
  return createSqliteStore({ file: config.database.file });
}
