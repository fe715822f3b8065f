export type { SliceOptions } from "../shared/slice-options.js";
export { createPostgresStore, PostgresStore, type PostgresStoreOptions } from "./postgres-store.js";
