/**
 * `@budget/store`: durable `Store` adapters. SQLite (better-sqlite3, WAL) is the embedded default;
 * PostgreSQL lets several service instances enforce one truth. Both migrate on start.
 *
 * Each database driver is an optional peer dependency loaded on first use: a PostgreSQL
 * deployment does not install better-sqlite3, and the other way round. The adapter classes are
 * exported by the `@budget/store/sqlite` and `@budget/store/postgres` subpaths.
 */
import type { PostgresStore, PostgresStoreOptions } from "./postgres/postgres-store.js";
import { loadAdapter } from "./shared/load-adapter.js";
import type { SqliteStore, SqliteStoreOptions } from "./sqlite/sqlite-store.js";

export type { PostgresStore, PostgresStoreOptions } from "./postgres/postgres-store.js";
export { SLICE_BOUNDS, type SliceOptions } from "./shared/slice-options.js";
export type { SqliteStore, SqliteStoreOptions } from "./sqlite/sqlite-store.js";

/**
 * Opens (creating and migrating) a SQLite store; needs the `better-sqlite3` package.
 *
 * @example
 * const store = await createSqliteStore({ file: "./data/budget.db" });
 */
export async function createSqliteStore(options: SqliteStoreOptions = {}): Promise<SqliteStore> {
  const adapter = await loadAdapter(() => import("./sqlite/sqlite-store.js"), "better-sqlite3");
  return adapter.createSqliteStore(options);
}

/**
 * Connects to PostgreSQL, creates the schema when missing and migrates; needs the `pg` package.
 *
 * @example
 * const store = await createPostgresStore({ url: "postgres://localhost/budget" });
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const adapter = await loadAdapter(() => import("./postgres/postgres-store.js"), "pg");
  return adapter.createPostgresStore(options);
}
