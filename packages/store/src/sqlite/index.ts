export { createSqliteStore, SqliteStore, type SqliteStoreOptions } from "./sqlite-store.js";
