import { describe, expect, it } from "vitest";
import { createManualClock } from "../ports/clock.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createTestCatalog } from "../testing/fixtures.js";
import { createBudgetEngine } from "./engine.js";

describe("budgetStatuses: a Budgets screen's page", () => {
  it("filters by search, scope dimension, enforcement and state, sorts, pages, and counts every open budget", async () => {
    const clock = createManualClock("2026-04-01T09:00:00Z");
    const e = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog(), clock });
    const day = (tokens: number, enforcement: "warn" | "hard_limit" = "warn") => [
      { id: "day", window: { type: "day" as const }, tokens, enforcement },
    ];
    // After 100 tokens of project p: a 50 %, b 125 %, c 90 %, d 10 %; w is per worker (no usage yet).
    await e.upsertBudget({ id: "a", name: "Alpha", scope: { project: "p" }, limits: day(200) });
    await e.upsertBudget({ id: "b", name: "Beta", scope: { project: "p" }, limits: day(80, "hard_limit") });
    await e.upsertBudget({ id: "c", name: "Gamma", description: "the nightly eval", limits: day(111) });
    await e.upsertBudget({ id: "d", name: "Delta", scope: { project: "p" }, limits: day(1000) });
    await e.upsertBudget({ id: "w", scope: { worker: { each: true } }, limits: day(10) });
    await e.upsertBudget({ id: "f", scope: { project: "p" }, limits: day(10), activeUntil: clock.now() });
    await e.record({
      dimensions: { provider: "test", model: "test-model", project: "p" },
      usage: { inputTokens: 100 },
    });
    const ids = async (q: Parameters<typeof e.budgetStatuses>[0]) =>
      (await e.budgetStatuses(q)).items.map((i) => i.budget.id);

    const all = await e.budgetStatuses();
    expect(all.items.map((i) => [i.budget.id, i.utilization])).toEqual([
      ["b", 1.25],
      ["c", 100 / 111],
      ["a", 0.5],
      ["d", 0.1],
      ["w", 0],
    ]);
    expect(all.total).toBe(5);
    expect(all.counts).toMatchObject({ budgets: 5, limits: 4, over: 1, near: 1, within: 2 });
    // Its definition and its rows travel together; an `each` budget without usage has no row yet.
    expect(all.items[0]).toMatchObject({ budget: { id: "b", name: "Beta" }, limits: [{ limitId: "day" }] });
    expect(all.items[4]?.limits).toEqual([]);

    expect(await ids({ search: "ALP" })).toEqual(["a"]);
    expect(await ids({ search: "nightly" })).toEqual(["c"]);
    expect(await ids({ dimension: "project" })).toEqual(["b", "a", "d"]);
    expect(await ids({ dimension: "worker" })).toEqual(["w"]);
    expect(await ids({ enforcement: "hard_limit" })).toEqual(["b"]);
    expect(await ids({ state: "over" })).toEqual(["b"]);
    expect(await ids({ state: "near" })).toEqual(["c"]);
    expect(await ids({ state: "within", dimension: "project" })).toEqual(["a", "d"]);
    expect(await ids({ order: "name" })).toEqual(["a", "b", "d", "c", "w"]);
    expect(await ids({ order: "id", offset: 1, limit: 2 })).toEqual(["b", "c"]);
    const page = await e.budgetStatuses({ state: "within", offset: 1, limit: 1 });
    expect([page.items.map((i) => i.budget.id), page.total, page.offset]).toEqual([["d"], 3, 1]);
    // The counts stay those of every open budget, whatever the filter.
    expect(page.counts).toEqual(all.counts);
    await expect(e.budgetStatuses({ state: "warn" } as never)).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(e.budgetStatuses({ limit: 0 })).rejects.toMatchObject({ code: "invalid_input" });
  });
});
