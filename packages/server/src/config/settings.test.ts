import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadSettings, resolveClientSettings, serviceUrlOf } from "./settings.js";
import { describeTarget, redactUrl } from "./store-target.js";

const PG = "postgres://budget:s3cret@db.internal:5432/budget";

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "budget-settings-")), "budget.yaml");
  writeFileSync(file, text);
  return file;
}

describe("settings: one precedence for server, CLI and demo", () => {
  it("defaults to ./data/budget.db on 127.0.0.1:4100", () => {
    const s = loadSettings({}, {});
    expect([s.store, s.storeFrom, s.configFile]).toEqual([
      { kind: "sqlite", file: "./data/budget.db" },
      "default",
      undefined,
    ]);
    expect(serviceUrlOf(s.config, {})).toBe("http://127.0.0.1:4100");
  });

  it("ranks flags over the environment over the file, the PostgreSQL URL over the file name", () => {
    const file = configFile(`database: { url: "${PG}", file: ./from-file.db }\nserver: { port: 5001 }`);
    const fromFile = loadSettings({}, { BUDGET_CONFIG: file });
    expect([fromFile.store, fromFile.storeFrom]).toEqual([
      { kind: "postgres", url: PG },
      `${file} database.url`,
    ]);
    // BUDGET_DB alone beats the file's URL: the environment wins over the file.
    const envDb = loadSettings({}, { BUDGET_CONFIG: file, BUDGET_DB: "/tmp/env.db" });
    expect([envDb.store, envDb.storeFrom]).toEqual([{ kind: "sqlite", file: "/tmp/env.db" }, "BUDGET_DB"]);
    const both = loadSettings({}, { BUDGET_DB: "/tmp/env.db", BUDGET_DATABASE_URL: "postgres://u@h/d" });
    expect([both.store.kind, both.storeFrom]).toEqual(["postgres", "BUDGET_DATABASE_URL"]);
    const flag = loadSettings(
      { db: "/tmp/flag.db", config: file, port: 0 },
      { BUDGET_DATABASE_URL: "postgres://u@h/d", BUDGET_PORT: "7000" },
    );
    expect([flag.store, flag.storeFrom, flag.config.server.port]).toEqual([
      { kind: "sqlite", file: "/tmp/flag.db" },
      "--db",
      0,
    ]);
    expect(serviceUrlOf(loadSettings({ config: file }, {}).config, {})).toBe("http://127.0.0.1:5001");
  });

  it("a client prefers a service (--url, then BUDGET_URL), else opens the server's store", () => {
    expect(resolveClientSettings({}, { BUDGET_DATABASE_URL: PG })).toMatchObject({
      target: { kind: "postgres", url: PG },
      from: "BUDGET_DATABASE_URL",
    });
    expect(
      resolveClientSettings({}, { BUDGET_URL: "http://127.0.0.1:4100", BUDGET_API_KEY: "k", BUDGET_DB: "x" }),
    ).toEqual({
      target: { kind: "remote", url: "http://127.0.0.1:4100" },
      from: "BUDGET_URL",
      apiKey: "k",
      local: null,
    });
    // --db names a file explicitly: BUDGET_URL in the environment does not override it.
    expect(resolveClientSettings({ db: "/tmp/a.db" }, { BUDGET_URL: "http://x:1" }).target).toEqual({
      kind: "sqlite",
      file: "/tmp/a.db",
    });
    expect(() => resolveClientSettings({ db: "a.db", url: "http://x:1" }, {})).toThrow(/not both/);
    expect(() => resolveClientSettings({}, { BUDGET_URL: "localhost:4100" })).toThrow(
      /BUDGET_URL .*http\(s\)/,
    );
  });

  it("describes each backend without a password", () => {
    expect(describeTarget({ kind: "sqlite", file: "data/b.db" }, "/srv")).toBe("SQLite /srv/data/b.db");
    expect(describeTarget({ kind: "sqlite", file: ":memory:" })).toBe("SQLite in memory");
    expect(describeTarget({ kind: "postgres", url: PG })).toBe(
      "PostgreSQL postgres://budget@db.internal:5432/budget",
    );
    expect(redactUrl("postgres://u@h/d?sslmode=require&password=x")).toBe("postgres://u@h/d?sslmode=require");
    expect(describeTarget({ kind: "remote", url: "http://127.0.0.1:4100/" })).toBe(
      "Budget service http://127.0.0.1:4100",
    );
    expect(redactUrl("not a url")).toBe("(unparseable URL)");
    expect(redactUrl("postgres://u:p w@[bad/d")).toBe("postgres://(unparseable URL)");
  });
});
