import { randomBytes } from "node:crypto";
import pg from "pg";
import {
  createPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from "../postgres/postgres-store.js";

/** The test server: `BUDGET_TEST_PG_URL`, else the local one. */
export const PG_TEST_URL = process.env.BUDGET_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/**
 * Whether the test server answers. When it does not, PostgreSQL tests are skipped with a message,
 * except in CI (`CI=true`) where they must run: then this throws, failing the suite loudly.
 */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_TEST_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (err) {
    if (process.env.CI === "true")
      throw new Error(`PostgreSQL tests need a server at ${PG_TEST_URL} (CI=true): ${String(err)}`);
    console.warn(`Skipping PostgreSQL tests: no server at ${PG_TEST_URL} (${String(err)})`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A fresh random schema name, `budget_t_<hex>`. */
export function randomSchema(): string {
  return `budget_t_${randomBytes(6).toString("hex")}`;
}

/** A store on a fresh random schema of the test server. */
export function createTestPostgresStore(extra: Partial<PostgresStoreOptions> = {}): Promise<PostgresStore> {
  return createPostgresStore({ url: PG_TEST_URL, schema: randomSchema(), poolSize: 8, ...extra });
}

/** Closes the store and drops its schema. */
export async function destroyTestPostgresStore(store: PostgresStore): Promise<void> {
  await store.close();
  await dropSchema(store.options.schema);
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
