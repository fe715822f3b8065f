import { createBudgetEngine, createManualClock, createMemoryStore, type Store } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";

/** An in-process engine over a memory store and the test catalog; pass a store to share it. */
export function createTestEngine(store: Store = createMemoryStore()) {
  const clock = createManualClock("2025-03-01T00:00:00Z");
  // budgetCacheMs 0: budgets another engine instance writes show at once, as across processes.
  return createBudgetEngine({ store, catalog: createTestCatalog(), clock, budgetCacheMs: 0 });
}
