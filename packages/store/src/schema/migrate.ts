import { BudgetError } from "@budget/core";
import type { Kysely } from "kysely";
import { Migrator, sql } from "../shared/kysely-runtime.js";
import { KNOWN_MIGRATIONS, migrationsFor, type SqlDialect } from "./migrations.js";

const MIGRATION_TABLE = "kysely_migration";

/** Options of {@link runMigrations}. */
export interface RunMigrationsOptions {
  dialect: SqlDialect;
  /** PostgreSQL schema holding the tables (and Kysely's migration table). */
  schema?: string;
}

/**
 * Brings the schema to the latest version. A database that has run migrations this code does not
 * know (written by a newer version) is refused with `store_schema_mismatch` rather than touched.
 * A database already at the latest version is left alone after one read of its migration table
 * (no Kysely migrator, no migration lock): what every start of a short-lived process (a `budget`
 * command) finds.
 */
export async function runMigrations(db: Kysely<unknown>, options: RunMigrationsOptions): Promise<string[]> {
  const executed = await assertKnownMigrations(db, options);
  if (KNOWN_MIGRATIONS.every((name) => executed.has(name))) return [];
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrationsFor(options.dialect) },
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}

/** The migrations the database has run; throws when one is unknown to this code. */
async function assertKnownMigrations(
  db: Kysely<unknown>,
  options: RunMigrationsOptions,
): Promise<Set<string>> {
  const names = await executedMigrations(db, options);
  const unknown = names.filter((n) => !KNOWN_MIGRATIONS.includes(n));
  if (unknown.length > 0)
    throw new BudgetError(
      "store_schema_mismatch",
      `the database schema is newer than this version of Budget understands (unknown migrations: ${unknown.join(", ")}); upgrade Budget or use another database`,
      { unknownMigrations: unknown, knownMigrations: [...KNOWN_MIGRATIONS] },
    );
  return new Set(names);
}

async function executedMigrations(db: Kysely<unknown>, options: RunMigrationsOptions): Promise<string[]> {
  const exists =
    options.dialect === "sqlite"
      ? await sql<{
          n: unknown;
        }>`SELECT name AS n FROM sqlite_master WHERE type = 'table' AND name = ${MIGRATION_TABLE}`.execute(db)
      : await sql<{ n: unknown }>`SELECT table_name AS n FROM information_schema.tables
          WHERE table_schema = ${options.schema ?? "public"} AND table_name = ${MIGRATION_TABLE}`.execute(db);
  if (exists.rows.length === 0) return [];
  const table = options.schema
    ? sql.table(`${options.schema}.${MIGRATION_TABLE}`)
    : sql.table(MIGRATION_TABLE);
  const rows = await sql<{ name: string }>`SELECT name FROM ${table}`.execute(db);
  return rows.rows.map((r) => r.name);
}
