import { describe, expect, it } from "vitest";
import { createManualClock } from "../ports/clock.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createTestCatalog } from "../testing/fixtures.js";
import { createBudgetEngine } from "./engine.js";

const day = (tokens: number) => [
  { id: "day", window: { type: "day" as const }, tokens, enforcement: "warn" as const },
];

describe("status: order, limit and summary", () => {
  it("orders the closest to their limits first, limits rows, and counts limits by state", async () => {
    const clock = createManualClock("2026-04-01T09:00:00Z");
    const e = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog(), clock });
    // Utilization after 100 tokens: a 50 %, b 125 %, c 90 %, d 10 %; e is disabled, f closed.
    const sizes = { a: 200, b: 80, c: 111, d: 1000 };
    for (const [id, tokens] of Object.entries(sizes))
      await e.upsertBudget({ id, scope: { project: "p" }, limits: day(tokens) });
    await e.upsertBudget({ id: "e", scope: { project: "p" }, limits: day(10), enabled: false });
    await e.upsertBudget({ id: "f", scope: { project: "p" }, limits: day(10), activeUntil: clock.now() });
    await e.record({
      dimensions: { provider: "test", model: "test-model", project: "p" },
      usage: { inputTokens: 100 },
    });

    expect((await e.status()).map((s) => s.budgetId)).toEqual(["a", "b", "c", "d", "e"]);
    const top = await e.status({ order: "utilization", limit: 3 });
    expect(top.map((s) => s.budgetId)).toEqual(["b", "c", "a"]);

    const summary = await e.statusSummary({ top: 2 });
    expect(summary.counts).toEqual({
      budgets: 5,
      disabled: 1,
      closed: 0,
      limits: 5,
      over: 1,
      near: 1,
      within: 3,
    });
    expect(summary.top.map((s) => s.budgetId)).toEqual(["b", "c"]);
    expect((await e.statusSummary({ includeClosed: true })).counts).toMatchObject({ budgets: 6, closed: 1 });
    await expect(e.status({ limit: 0 })).rejects.toMatchObject({ code: "invalid_input" });
  });
});
