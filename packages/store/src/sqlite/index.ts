export type { RollupReportQuery, RollupReportRow } from "../report/rollup-report.js";
export { createSqliteStore, SqliteStore, type SqliteStoreOptions } from "./sqlite-store.js";
