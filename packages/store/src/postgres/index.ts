export type { RollupReportQuery, RollupReportRow } from "../report/rollup-report.js";
export { createPostgresStore, PostgresStore, type PostgresStoreOptions } from "./postgres-store.js";
