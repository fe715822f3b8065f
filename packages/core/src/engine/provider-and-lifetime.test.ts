import { describe, expect, it } from "vitest";
import { createCatalog } from "../catalog/create-catalog.js";
import { createManualClock } from "../ports/clock.js";
import { createSequentialIds } from "../ports/ids.js";
import { createMemoryStore } from "../store/memory-store.js";
import { TEST_PRICES } from "../testing/fixtures.js";
import { createBudgetEngine } from "./engine.js";

const OTHER = { ...TEST_PRICES[0]!, id: "other:other-model:1", provider: "other", model: "other-model" };

function setup() {
  const store = createMemoryStore();
  const clock = createManualClock("2026-05-01T00:00:00Z");
  const catalog = createCatalog({ versions: [...TEST_PRICES, OTHER] });
  const engine = createBudgetEngine({ store, catalog, clock, ids: createSequentialIds() });
  return { store, clock, engine };
}

const month = (tokens: number) => [{ id: "m", window: { type: "month" as const }, tokens }];

describe("engine: the provider the catalog resolves is stored when none was given", () => {
  it("records, matches and enforces the resolved provider", async () => {
    const { engine } = setup();
    await engine.upsertBudget({ id: "test-provider", scope: { provider: "test" }, limits: month(1000) });
    const rec = await engine.record({ dimensions: { model: "test-model" }, usage: { inputTokens: 600 } });
    expect(rec.event.dimensions).toEqual({ model: "test-model", provider: "test" });
    const explicit = await engine.record({
      dimensions: { model: "other-model" },
      usage: { inputTokens: 1 },
      costUsd: "0.5",
    });
    expect(explicit.event.dimensions.provider).toBe("other");
    // The provider-scoped hard limit holds a reservation that named only the model.
    const denied = await engine.reserve({
      dimensions: { model: "test-model" },
      estimate: { inputTokens: 500 },
    });
    expect(denied.status).toBe("denied");
    const [status] = await engine.status({ budgetId: "test-provider" });
    expect(status?.used.tokens).toBe(600);
    expect((await engine.reconcile()).drift).toEqual([]);
  });

  it("a commit that changes the model to another provider's takes that provider", async () => {
    const { engine } = setup();
    const r = await engine.reserve({ dimensions: { model: "test-model" }, estimate: { inputTokens: 10 } });
    if (r.status !== "allowed") throw new Error("expected allowed");
    const c = await engine.commit({
      reservationId: r.reservationId,
      model: "other-model",
      usage: { inputTokens: 10 },
    });
    expect(c.event.dimensions).toMatchObject({ model: "other-model", provider: "other" });
    expect(c.event.priceVersionId).toBe("other:other-model:1");
  });
});

describe("engine: a budget counts only events of its lifetime", () => {
  it("reconcile after the README tour (usage, then a budget) reports no drift; repair charges nothing old", async () => {
    const { engine, clock } = setup();
    await engine.record({
      dimensions: { model: "test-model", component: "planner" },
      usage: { inputTokens: 1112 },
    });
    clock.advance(60_000);
    await engine.upsertBudget({ id: "planner", scope: { component: "planner" }, limits: month(100_000) });
    clock.advance(60_000);
    await engine.record({
      dimensions: { model: "test-model", component: "planner" },
      usage: { inputTokens: 7500 },
    });
    // Backdated before the budget existed: in the ledger, but not the budget's to count.
    await engine.record({
      dimensions: { model: "test-model", component: "planner" },
      usage: { inputTokens: 50 },
      time: clock.now() - 90_000,
    });
    const [s] = await engine.status({ budgetId: "planner" });
    expect(s?.used.tokens).toBe(7500);
    const report = await engine.reconcile({ repair: true });
    expect([report.events, report.drift]).toEqual([3, []]);
    expect((await engine.status({ budgetId: "planner" }))[0]?.used.tokens).toBe(7500);
  });

  it("repair restores a counter from the budget's own events only", async () => {
    const { engine, clock, store } = setup();
    await engine.record({ dimensions: { model: "test-model" }, usage: { inputTokens: 40 } });
    clock.advance(1000);
    await engine.upsertBudget({ id: "all", limits: month(100_000) });
    clock.advance(1000);
    await engine.record({ dimensions: { model: "test-model" }, usage: { inputTokens: 5 } });
    const [counter] = await store.listCounters();
    await store.setCountersUsed([{ counter: counter!, used: { tokens: 999, costNanoUsd: 0n, requests: 0 } }]);
    const report = await engine.reconcile({ repair: true });
    expect(report.drift.map((d) => [d.stored.tokens, d.ledger.tokens])).toEqual([[999, 5]]);
    expect((await engine.status({ budgetId: "all" }))[0]?.used.tokens).toBe(5);
  });
});
