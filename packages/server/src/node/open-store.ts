import type { Store } from "@budget/core";
import { createPostgresStore, createSqliteStore } from "@budget/store";
import type { StoreTarget } from "../config/store-target.js";

/** Opens a store target: PostgreSQL for a URL, else the SQLite file. */
export async function openStore(target: StoreTarget): Promise<Store> {
  if (target.kind === "postgres")
    return createPostgresStore({ url: target.url, ...(target.slices ? { slices: target.slices } : {}) });
  return createSqliteStore({ file: target.file });
}
