import {
  createBudgetEngine,
  createCatalog,
  createManualClock,
  createMemoryStore,
  createSequentialIds,
} from "@budget/core";
import { describe, expect, it } from "vitest";
import { applyReprice } from "./apply-reprice.js";
import { planReprice } from "./plan-reprice.js";

const base = {
  provider: "openai",
  model: "gpt-4o",
  unitRates: {},
  effectiveFrom: 0,
  effectiveTo: null,
  source: "bundled",
};

describe("reprice through the engine", () => {
  it("moves the budget counters by the adjustments and keeps them equal to the ledger", async () => {
    const clock = createManualClock("2026-06-10T00:00:00Z");
    const store = createMemoryStore();
    const catalog = createCatalog({
      versions: [{ ...base, id: "pv1", tokenRates: { input: "2", output: "8" } }],
    });
    const engine = createBudgetEngine({ store, catalog, clock, ids: createSequentialIds() });
    await engine.upsertBudget({ id: "team", limits: [{ id: "m", window: { type: "month" }, cost: "100" }] });
    for (let i = 0; i < 3; i++)
      await engine.record({
        dimensions: { provider: "openai", model: "gpt-4o" },
        usage: { inputTokens: 1_000_000 },
      });
    const cost = async () => (await engine.status({ budgetId: "team" }))[0]?.used.costNanoUsd;
    expect(await cost()).toBe(6_000_000_000n);

    const cheaper = { ...base, id: "pv2", tokenRates: { input: "1", output: "4" }, source: "manual" };
    const plan = await planReprice({
      store,
      from: 0,
      to: clock.now() + 1,
      target: { priceOverrides: [cheaper] },
    });
    expect(plan.totals.deltaUsd).toBe("-3.000000000");
    expect(await cost()).toBe(6_000_000_000n); // a dry run changes nothing

    const applied = await applyReprice(plan, {
      clock,
      ids: createSequentialIds(),
      record: (e) => engine.appendEvent(e),
    });
    expect(applied.recorded).toBe(3);
    expect(await cost()).toBe(3_000_000_000n);
    const again = await applyReprice(plan, {
      clock,
      ids: createSequentialIds(),
      record: (e) => engine.appendEvent(e),
    });
    expect(again.duplicates).toBe(3);
    expect(await cost()).toBe(3_000_000_000n);
    expect((await engine.reconcile()).drift).toEqual([]);
  });
});
