/**
 * `@budget/store`: durable `Store` adapters. SQLite (better-sqlite3, WAL) is the embedded default;
 * PostgreSQL lets several service instances enforce one truth. Both migrate on start.
 */

export { createPostgresStore, PostgresStore, type PostgresStoreOptions } from "./postgres/postgres-store.js";
export type { RollupReportQuery, RollupReportRow } from "./report/rollup-report.js";
export { createSqliteStore, SqliteStore, type SqliteStoreOptions } from "./sqlite/sqlite-store.js";
