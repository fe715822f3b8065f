export type { RollupReportQuery, RollupReportRow } from "../report/rollup-report.js";
export { resolveSliceOptions, SLICE_BOUNDS, type SliceOptions } from "../shared/slice-options.js";
export { createPostgresStore, PostgresStore, type PostgresStoreOptions } from "./postgres-store.js";
