import { createBudgetEngine, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { remainingHeadersOf } from "./budget-headers.js";
import { createRemainingLookup, REMAINING_CACHE_MS } from "./remaining.js";

describe("createRemainingLookup", () => {
  it("answers with the same object while the budgets' status is cached, and anew after", async () => {
    const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog() });
    await engine.upsertBudget({
      id: "team",
      limits: [{ id: "all", window: { type: "lifetime" }, tokens: 1000 }],
    });
    let t = 0;
    const lookup = createRemainingLookup(engine, () => t);
    const first = await lookup(["team"], {});
    expect(first.remaining).toEqual({ tokens: 1000 });
    expect(await lookup(["team"], {})).toBe(first);
    expect(remainingHeadersOf(first)).toBe(remainingHeadersOf(first));
    expect(remainingHeadersOf(first)).toEqual({ "x-budget-remaining-tokens": "1000" });
    await engine.record({ dimensions: { model: "test-model" }, usage: { inputTokens: 10 } });
    t += REMAINING_CACHE_MS;
    const later = await lookup(["team"], {});
    expect(later).not.toBe(first);
    expect(later.remaining).toEqual({ tokens: 990 });
  });
});
