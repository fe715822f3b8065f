import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBudget } from "./testing/run-budget.js";

const PG_ADMIN_URL = process.env.BUDGET_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const dir = mkdtempSync(join(tmpdir(), "budget-cli-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh PostgreSQL database (the CLI migrates `public` of the database it is given), or null to skip. */
async function createDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (err) {
    if (process.env.CI === "true") throw new Error(`PostgreSQL needed at ${PG_ADMIN_URL} (CI=true): ${err}`);
    console.warn(`Skipping the PostgreSQL case: no server at ${PG_ADMIN_URL}`);
    return null;
  }
  const name = `budget_cli_${randomBytes(5).toString("hex")}`;
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

describe("budget CLI: one configuration with the server (spawned binary)", { timeout: 180_000 }, () => {
  let database: Awaited<ReturnType<typeof createDatabase>> = null;
  beforeAll(async () => {
    database = await createDatabase();
  });
  afterAll(async () => database?.drop());

  it("--verbose and the status header name the SQLite file and the setting that chose it", async () => {
    const db = join(dir, "flag.db");
    const set = await runBudget(
      ["--db", db, "--verbose", "set", "t", "--window", "day", "--tokens", "10", "--json"],
      {
        cwd: dir,
      },
    );
    expect(set.code).toBe(0);
    expect(set.stderr).toBe(`using SQLite ${db} (from --db)\n`);
    expect(set.json<{ id: string }>().id).toBe("t");
    const status = await runBudget(["status"], { cwd: dir, env: { BUDGET_DB: db } });
    expect(status.stdout.split("\n")[0]).toBe(`SQLite ${db}`);
    const json = await runBudget(["status", "--json"], { cwd: dir, env: { BUDGET_DB: db } });
    // JSON stays the rows alone: the header is for people.
    expect(json.json<Array<{ budgetId: string }>>().map((r) => r.budgetId)).toEqual(["t"]);
  });

  it("reads the database of the config file the server reads; BUDGET_DB wins over it", async () => {
    const config = join(dir, "budget.yaml");
    writeFileSync(config, `database: { file: ${join(dir, "from-config.db")} }\n`);
    const viaFile = await runBudget(["--verbose", "status"], { cwd: dir, env: { BUDGET_CONFIG: config } });
    expect(viaFile.stderr).toBe(
      `using SQLite ${join(dir, "from-config.db")} (from ${config} database.file)\n`,
    );
    const viaFlag = await runBudget(["--config", config, "--verbose", "status"], {
      cwd: dir,
      env: { BUDGET_DB: join(dir, "env.db") },
    });
    expect(viaFlag.stderr).toBe(`using SQLite ${join(dir, "env.db")} (from BUDGET_DB)\n`);
  });

  it("opens PostgreSQL when BUDGET_DATABASE_URL is set, and never prints its password", async (ctx) => {
    if (!database) return ctx.skip();
    const url = new URL(database.url);
    url.password = "not-needed-with-trust-auth";
    const cwd = mkdtempSync(join(dir, "pg-"));
    const env = { BUDGET_DATABASE_URL: url.toString() };
    const set = await runBudget(["--verbose", "set", "pg-team", "--window", "month", "--cost", "5"], {
      cwd,
      env,
    });
    expect(set.code).toBe(0);
    const shown = `PostgreSQL ${url.protocol}//${url.username}@${url.host}${url.pathname}`;
    expect(set.stderr).toBe(`using ${shown} (from BUDGET_DATABASE_URL)\n`);
    const status = await runBudget(["status"], { cwd, env });
    expect(status.stdout).toContain(shown);
    expect(status.stdout).toContain("pg-team");
    expect(`${set.stdout}${set.stderr}${status.stdout}`).not.toContain("not-needed-with-trust-auth");
    // Nothing went to the default SQLite file.
    expect(existsSync(join(cwd, "data"))).toBe(false);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const rows = await client.query("SELECT id FROM budgets");
    await client.end();
    expect(rows.rows.map((r: { id: string }) => r.id)).toEqual(["pg-team"]);
  });

  it("serve on a port in use says so and suggests BUDGET_PORT (exit 1)", async () => {
    const blocker = createServer();
    const port = await new Promise<number>((r) =>
      blocker.listen(0, "127.0.0.1", () => r((blocker.address() as { port: number }).port)),
    );
    try {
      const run = await runBudget(["--db", join(dir, "serve.db"), "serve", "--port", String(port)], {
        cwd: dir,
        env: { BUDGET_LOG_LEVEL: "silent" },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*BUDGET_PORT`),
      );
    } finally {
      blocker.close();
    }
  });
});
