import { createRequire } from "node:module";
import type * as KyselyModule from "kysely";

/**
 * Kysely's classes, loaded from its CommonJS build with Node's `require`: its ESM build is ~260
 * modules, each read and linked asynchronously, which cost a short-lived process (a `budget`
 * command) about a third more start-up than `require`. Types still come from
 * `import type … from "kysely"`; only this store creates and uses Kysely objects.
 */
export const { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, sql } = createRequire(
  import.meta.url,
)("kysely") as typeof KyselyModule;

/** The Kysely instance type, under the same name as the class above. */
export type Kysely<DB> = KyselyModule.Kysely<DB>;
