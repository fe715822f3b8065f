import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { USAGE_COLUMN_LIST } from "./columns.js";
import { runMigrations } from "./migrate.js";
import { migrationsFor } from "./migrations.js";

function openDb() {
  const file = join(mkdtempSync(join(tmpdir(), "budget-migrate-")), "store.db");
  return new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(file) }) });
}

async function columns(db: Kysely<unknown>, table: string): Promise<string[]> {
  const rows = await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(db);
  return rows.rows.map((r) => r.name);
}

describe("runMigrations on a current schema", () => {
  it("reads the migration table only: no migrator runs (its lock table is not recreated)", async () => {
    const db = openDb();
    expect((await runMigrations(db, { dialect: "sqlite" })).length).toBeGreaterThan(0);
    await sql`DROP TABLE kysely_migration_lock`.execute(db);
    expect(await runMigrations(db, { dialect: "sqlite" })).toEqual([]);
    const lock = await sql<{
      n: string;
    }>`SELECT name AS n FROM sqlite_master WHERE name = 'kysely_migration_lock'`.execute(db);
    expect(lock.rows).toEqual([]);
    await db.destroy();
  });

  it("still runs the migrator when one migration is missing", async () => {
    const db = openDb();
    await runMigrations(db, { dialect: "sqlite" });
    const [last] = (
      await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name DESC LIMIT 1`.execute(db)
    ).rows;
    await sql`DROP TABLE kysely_migration_lock`.execute(db);
    await sql`DELETE FROM kysely_migration WHERE name = ${last?.name}`.execute(db);
    // The migrator recreates its lock table first (re-running the step's DDL may then fail).
    await runMigrations(db, { dialect: "sqlite" }).catch(() => []);
    const lock = await sql<{
      n: string;
    }>`SELECT name AS n FROM sqlite_master WHERE name = 'kysely_migration_lock'`.execute(db);
    expect(lock.rows).toEqual([{ n: "kysely_migration_lock" }]);
    await db.destroy();
  });
});

describe("usage columns across migrations", () => {
  it("a fresh database has a column per usage field on the ledger and its rollups", async () => {
    const db = openDb();
    await runMigrations(db, { dialect: "sqlite" });
    for (const table of ["events", "rollups_hourly"]) {
      expect(await columns(db, table)).toEqual(expect.arrayContaining([...USAGE_COLUMN_LIST]));
    }
    await db.destroy();
  });

  it("0007 adds output_image_tokens to a database written before it, old rows reading 0", async () => {
    const db = openDb();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor("sqlite") } });
    const upTo = await migrator.migrateTo("0006_run_starter");
    expect(upTo.error).toBeUndefined();
    expect(await columns(db, "events")).not.toContain("output_image_tokens");
    await sql`INSERT INTO events (id, idempotency_key, kind, time, cost_nano, pricing)
      VALUES ('e1', 'k1', 'commit', 1, 5, '{}')`.execute(db);
    expect(await runMigrations(db, { dialect: "sqlite" })).toEqual([
      "0007_output_image_tokens",
      "0008_budget_changes",
      "0009_slices",
    ]);
    const row = await sql<{ v: number }>`SELECT output_image_tokens AS v FROM events WHERE id = 'e1'`.execute(
      db,
    );
    expect(row.rows[0]?.v).toBe(0);
    await db.destroy();
  });
});
