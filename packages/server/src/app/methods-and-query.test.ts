import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { createSqliteStore } from "@budget/store/sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { createAuth } from "../auth/auth.js";
import { createBudgetApp } from "./create-app.js";

async function setup() {
  const engine = createBudgetEngine({
    store: createMemoryStore(),
    catalog: createTestCatalog(),
    clock: createManualClock("2026-05-01T00:00:00Z"),
  });
  const auth = createAuth(createMemoryKeyStore());
  const admin = (await auth.createKey({ name: "admin", role: "admin" })).key;
  const built = createBudgetApp({ engine, keys: auth });
  const call = (method: string, path: string) =>
    built.app.request(path, { method, headers: { authorization: `Bearer ${admin}` } });
  return { ...built, engine, call };
}

describe("query parameters", () => {
  it("answers 400 naming every parameter a route does not declare", async () => {
    const { call } = await setup();
    const res = await call("GET", "/v1/usage?componnt=tiny&limit=5&x=1");
    expect(res.status).toBe(400);
    const body = (await res.json()) as { code: string; errors: { path: string }[] };
    expect(body.code).toBe("invalid_input");
    expect(body.errors.map((e) => e.path)).toEqual(["query.componnt", "query.x"]);
    expect((await call("GET", "/v1/usage/export?componnt=tiny")).status).toBe(400);
    expect((await call("GET", "/v1/keys?role=admin")).status).toBe(400);
    expect((await call("GET", "/healthz?verbose=1")).status).toBe(400);
    expect((await call("GET", "/v1/usage?component=tiny&limit=5")).status).toBe(200);
  });
});

describe("methods", () => {
  it("answers 405 with Allow to a method a known path does not have", async () => {
    const { call } = await setup();
    const cases: [string, string, string][] = [
      ["PATCH", "/v1/budgets/b1", "DELETE, GET, HEAD, PUT"],
      ["OPTIONS", "/v1/budgets", "GET, HEAD, POST"],
      ["GET", "/v1/reservations", "POST"],
      ["DELETE", "/v1/usage", "GET, HEAD, POST"],
      ["PUT", "/healthz", "GET, HEAD"],
    ];
    for (const [method, path, allow] of cases) {
      const res = await call(method, path);
      expect([method, path, res.status, res.headers.get("allow")]).toEqual([method, path, 405, allow]);
      expect((await res.json()).code).toBe("method_not_allowed");
    }
    expect((await call("PATCH", "/v1/no-such-thing")).status).toBe(404);
  });
});

const dir = mkdtempSync(join(tmpdir(), "budget-exact-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("token counters", () => {
  it("stay exact integers up to 2^53 − 1 through SQLite and HTTP, and refuse to go past it", async () => {
    const store = await createSqliteStore({ file: join(dir, "exact.db") });
    const maxTokens = Math.floor(Number.MAX_SAFE_INTEGER / 4);
    const engine = createBudgetEngine({
      store,
      catalog: createTestCatalog(),
      clock: createManualClock("2026-05-01T00:00:00Z"),
      amountBounds: { maxEventTokens: maxTokens, maxLimitTokens: maxTokens },
    });
    const auth = createAuth(createMemoryKeyStore());
    const admin = (await auth.createKey({ name: "admin", role: "admin" })).key;
    const { app } = createBudgetApp({ engine, keys: auth });
    await engine.upsertBudget({
      id: "all",
      limits: [{ id: "life", window: { type: "lifetime" }, tokens: maxTokens, enforcement: "warn" }],
    });
    const record = (inputTokens: number) =>
      app.request("/v1/usage", {
        method: "POST",
        headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
        body: JSON.stringify({ dimensions: { model: "test-model" }, usage: { inputTokens }, costUsd: "0" }),
      });
    for (let i = 0; i < 4; i++) expect((await record(maxTokens)).status).toBe(201);
    expect((await record(Number.MAX_SAFE_INTEGER - 4 * maxTokens)).status).toBe(201);
    const text = await (
      await app.request("/v1/status", { headers: { authorization: `Bearer ${admin}` } })
    ).text();
    expect(text).toContain(`"tokens":${Number.MAX_SAFE_INTEGER}`);
    const over = await record(1);
    expect([over.status, (await over.json()).code]).toEqual([409, "counter_overflow"]);
    const [counter] = await store.listCounters("all");
    expect(counter?.used.tokens).toBe(Number.MAX_SAFE_INTEGER);
    await store.close();
  });
});
