import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog, TEST_PRICES } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";

async function setup() {
  const clock = createManualClock("2026-05-10T00:00:00Z");
  const store = createMemoryStore();
  const engine = createBudgetEngine({ store, catalog: createTestCatalog(), clock });
  const auth = createAuth(createMemoryKeyStore());
  const admin = (await auth.createKey({ name: "admin", role: "admin" })).key;
  const { app } = createBudgetApp({ engine, keys: auth, store });
  const post = async (path: string, body: unknown) => {
    const res = await app.request(path, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  await engine.upsertBudget({ id: "team", limits: [{ id: "m", window: { type: "month" }, cost: "100" }] });
  for (let i = 0; i < 4; i++) {
    await engine.record({
      dimensions: { provider: "test", model: "test-model" },
      usage: { inputTokens: 1_000_000 },
    });
  }
  return { engine, store, clock, post };
}

describe("maintenance routes", () => {
  it("reconciles counters with the ledger, reporting and repairing drift", async () => {
    const { store, post } = await setup();
    expect((await post("/v1/reconcile", {})).body).toEqual({
      events: 4,
      repaired: false,
      skipped: 0,
      drift: [],
      slices: [],
    });
    const [c] = await store.listCounters("team");
    if (!c) throw new Error("expected a counter");
    await store.setCountersUsed([{ counter: c, used: { ...c.used, costNanoUsd: 1n } }]);
    const found = await post("/v1/reconcile", { repair: true });
    expect(found.body.drift).toEqual([
      {
        key: c.key,
        stored: { tokens: 4_000_000, costUsd: "0.000000001", requests: 4 },
        ledger: { tokens: 4_000_000, costUsd: "4.000000000", requests: 4 },
      },
    ]);
    expect((await post("/v1/reconcile", {})).body.drift).toEqual([]);
  });

  it("reprices a range as a dry run, then applies adjustments once", async () => {
    const { engine, post, clock } = await setup();
    const doubled = { ...TEST_PRICES[0]!, id: "test:test-model:2", tokenRates: { input: "2", output: "4" } };
    const request = { from: 0, to: clock.now() + 1, target: { prices: [doubled] } };
    const dry = await post("/v1/prices/reprice", request);
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ changed: 4, applied: null, totals: { deltaUsd: "4.000000000" } });
    const spend = async () => (await engine.status({ budgetId: "team" }))[0]?.used.costNanoUsd;
    expect(await spend()).toBe(4_000_000_000n);
    const applied = await post("/v1/prices/reprice", { ...request, apply: true });
    expect(applied.body.applied).toMatchObject({ recorded: 4, duplicates: 0 });
    expect(await spend()).toBe(8_000_000_000n);
    expect((await post("/v1/prices/reprice", { ...request, apply: true })).body.applied).toMatchObject({
      recorded: 0,
    });
    expect(await spend()).toBe(8_000_000_000n);
  });

  it("rejects a backwards range with a problem naming the field", async () => {
    const { post } = await setup();
    const res = await post("/v1/prices/reprice", { from: 10, to: 5, target: { at: 0 } });
    expect([res.status, res.body.code]).toEqual([400, "invalid_input"]);
    expect(JSON.stringify(res.body)).toContain("from");
  });
});
