import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeStoreContract } from "@budget/core/testing";
import { createSqliteStore, type SqliteStore } from "./sqlite-store.js";

const dirs = new Map<SqliteStore, string>();

describeStoreContract("SqliteStore (file)", {
  async create() {
    const dir = mkdtempSync(join(tmpdir(), "budget-contract-"));
    const store = await createSqliteStore({ file: join(dir, "budget.db") });
    dirs.set(store, dir);
    return store;
  },
  async destroy(store) {
    await store.close();
    const dir = dirs.get(store as SqliteStore);
    if (dir) rmSync(dir, { recursive: true, force: true });
  },
});
