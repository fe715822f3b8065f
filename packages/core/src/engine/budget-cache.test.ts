import { describe, expect, it } from "vitest";
import { createManualClock } from "../ports/clock.js";
import type { Store } from "../ports/store.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createTestCatalog } from "../testing/fixtures.js";
import { createBudgetEngine } from "./engine.js";

/** `store` with a count of the budgets it read back (whole list, or changes since a point). */
function counted(store: Store) {
  const reads = { budgets: 0 };
  const wrapped: Store = {
    ...store,
    listBudgets: async (q) => {
      const all = await store.listBudgets(q);
      reads.budgets += all.length;
      return all;
    },
    budgetChangesSince: async (since) => {
      const changes = await store.budgetChangesSince(since);
      reads.budgets += changes.changed.length + changes.deleted.length;
      return changes;
    },
  };
  return { store: wrapped, reads };
}

const day = (tokens: number) => [{ id: "day", window: { type: "day" as const }, tokens }];

describe("the engine's budgets: its own writes in force at once, not read back", () => {
  it("applies its own puts to its index, and reads back only what another writer changed", async () => {
    const clock = createManualClock("2026-04-01T09:00:00Z");
    const shared = createMemoryStore();
    const { store, reads } = counted(shared);
    const e = createBudgetEngine({ store, catalog: createTestCatalog(), clock });
    const other = createBudgetEngine({ store: shared, catalog: createTestCatalog(), clock });
    await e.status();
    for (let i = 0; i < 100; i++) await e.upsertBudget({ id: `b${i}`, limits: day(100) });
    await e.resetBudget("b1");
    await e.closeBudget("b2");
    // Every own write is in force, and none was read back.
    const page = await e.budgetStatuses({ limit: 1000 });
    expect(page.total).toBe(99);
    expect(page.items.some((i) => i.budget.id === "b2")).toBe(false);
    expect(page.items.find((i) => i.budget.id === "b1")?.budget.resetAt).toBe(clock.now());
    expect(reads.budgets).toBe(0);

    // Another writer in between: the next own write is not the next change, so both are read.
    await other.upsertBudget({ id: "theirs", limits: day(5) });
    await e.upsertBudget({ id: "b0", limits: day(7) });
    const after = await e.budgetStatuses({ limit: 1000 });
    expect(after.total).toBe(100);
    expect(after.items.find((i) => i.budget.id === "b0")?.limits[0]?.limit.tokens).toBe(7);
    expect(reads.budgets).toBe(2);
    // And a change of another writer alone reaches this engine after its refresh interval.
    await other.upsertBudget({ id: "theirs", limits: day(9) });
    clock.advance(1000);
    expect((await e.budgetStatuses({ search: "theirs" })).items[0]?.limits[0]?.limit.tokens).toBe(9);
    expect(reads.budgets).toBe(3);
  });
});
