import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBudgetEngine, createMemoryKeyStore } from "@budget/core";
import { createBundledCatalog } from "@budget/prices";
import { createBudgetApp } from "@budget/server";
import { createSqliteStore } from "@budget/store/sqlite";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBudget } from "./testing/run-budget.js";

const dir = mkdtempSync(join(tmpdir(), "budget-cli-remote-"));
let url = "";
let adminKey = "";
let stop: () => Promise<void> = async () => {};

beforeAll(async () => {
  const store = await createSqliteStore({ file: join(dir, "server.db") });
  const engine = createBudgetEngine({ store, catalog: createBundledCatalog() });
  const app = createBudgetApp({ engine, keys: createMemoryKeyStore() });
  adminKey = (await app.auth.createKey({ name: "test admin", role: "admin" })).key;
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stop = async () => {
    app.close();
    await new Promise<void>((r) => server.close(() => r()));
    await store.close();
  };
});

afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

// The same commands as on a local file, through --url/--api-key (and the environment).
const remote = (...args: string[]) => runBudget(["--url", url, "--api-key", adminKey, ...args], { cwd: dir });

describe("budget CLI against a running server (spawned binary)", { timeout: 180_000 }, () => {
  it("set, record, status and check speak the HTTP API with the same results and exit codes", async () => {
    const set = await remote(
      "set",
      "api",
      "--window",
      "day",
      "--tokens",
      "2000",
      "--scope",
      "project=p1",
      "--json",
    );
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    const rec = await remote(
      "record",
      "--model",
      "gpt-4o",
      "--input",
      "1200",
      "--output",
      "300",
      "--project",
      "p1",
      "--json",
    );
    expect(rec.code).toBe(0);
    expect(rec.json<{ event: { costUsd: string } }>().event.costUsd).toBe("0.006000000");
    const status = await runBudget(["status", "api", "--json"], {
      env: { BUDGET_URL: url, BUDGET_API_KEY: adminKey },
    });
    expect(status.code).toBe(0);
    expect(status.json<{ used: { tokens: number; costUsd: string } }[]>()[0]?.used).toMatchObject({
      tokens: 1500,
      costUsd: "0.006000000",
    });
    // --all pages through GET /v1/status/budgets: the same row, in one JSON array.
    const all = await remote("status", "--all", "--json");
    expect(all.code).toBe(0);
    expect(all.json<{ budgetId: string; used: { tokens: number } }[]>()).toEqual([
      expect.objectContaining({ budgetId: "api", used: expect.objectContaining({ tokens: 1500 }) }),
    ]);
    const denied = await remote("check", "--model", "gpt-4o", "--input", "600", "--project", "p1", "--json");
    expect(denied.code).toBe(3);
    expect(
      denied.json<{ denial: { budgetId: string; remaining: { tokens: number } } }>().denial,
    ).toMatchObject({
      budgetId: "api",
      remaining: { tokens: 500 },
    });
  });

  it("export streams the server's ledger; keys are created, listed and enforced", async () => {
    const exp = await remote("export", "--format", "ndjson");
    expect(exp.code).toBe(0);
    const lines = exp.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { model?: string; costUsd: string; dimensions: { model: string } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ costUsd: "0.006000000", dimensions: { model: "gpt-4o" } });

    const created = await remote("keys", "create", "--name", "ci", "--role", "reader", "--json");
    expect(created.code).toBe(0);
    const { key, id } = created.json<{ key: string; id: string }>();
    expect(key).toMatch(/^bgt_/);
    const readerStatus = await runBudget(["--url", url, "--api-key", key, "status", "--json"]);
    expect(readerStatus.code).toBe(0);
    const readerWrite = await runBudget([
      "--url",
      url,
      "--api-key",
      key,
      "set",
      "x",
      "--window",
      "day",
      "--tokens",
      "5",
    ]);
    expect(readerWrite.code).toBe(1);
    expect(readerWrite.stderr).toMatch(/role/);
    const revoked = await remote("keys", "revoke", id);
    expect(revoked.code).toBe(0);
    const list = await remote("keys", "list", "--json");
    expect(
      list.json<{ id: string; revokedAt: number | null }[]>().find((k) => k.id === id)?.revokedAt,
    ).toBeGreaterThan(0);
  });
});
