import { describe, expect, it } from "vitest";
import { createManualClock } from "../ports/clock.js";
import { createSequentialIds } from "../ports/ids.js";
import type { Store } from "../ports/store.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createTestCatalog } from "../testing/fixtures.js";
import { createBudgetEngine } from "./engine.js";

const lifetime = (tokens: number) => [{ id: "life", window: { type: "lifetime" as const }, tokens }];
const estimate = { inputTokens: 100, outputTokens: 0 };

function setup(store: Store = createMemoryStore()) {
  const clock = createManualClock("2026-04-01T09:00:00Z");
  const make = () =>
    createBudgetEngine({ store, catalog: createTestCatalog(), clock, ids: createSequentialIds() });
  return { store, clock, e: make(), make };
}

describe("closed budgets", () => {
  it("finishing a run closes its budgets: kept with their counters, no longer matched or in status", async () => {
    const { e, clock } = setup();
    await e.startRun({ id: "r1", name: "run" });
    await e.upsertBudget({ id: "run:r1", scope: { run: "r1" }, limits: lifetime(10_000) });
    await e.upsertBudget({
      id: "run:r1:worker",
      scope: { run: "r1", worker: { each: true } },
      limits: lifetime(500),
    });
    await e.upsertBudget({ id: "team", limits: lifetime(1_000_000) });
    const dims = { provider: "test", model: "test-model", run: "r1", worker: "w1" };
    await e.record({ dimensions: dims, usage: { inputTokens: 100 } });
    clock.advance(1000);
    await e.finishRun("r1", { status: "completed" });

    const closed = await e.getBudget("run:r1");
    expect(closed?.activeUntil).toBe(clock.now());
    expect((await e.getBudget("run:r1:worker"))?.activeUntil).toBe(clock.now());
    expect((await e.getBudget("team"))?.activeUntil).toBeUndefined();

    const r = await e.reserve({ dimensions: dims, estimate });
    expect(r.status === "allowed" && r.budgetIds).toEqual(["team"]);
    expect(new Set((await e.status()).map((s) => s.budgetId))).toEqual(new Set(["team"]));
    // Named, or with includeClosed, a closed budget still shows its counters.
    const [named] = await e.status({ budgetId: "run:r1" });
    expect(named?.used.tokens).toBe(100);
    expect(new Set((await e.status({ includeClosed: true })).map((s) => s.budgetId))).toEqual(
      new Set(["run:r1", "run:r1:worker", "team"]),
    );
    // Counters of closed budgets still equal the ledger.
    expect((await e.reconcile()).drift).toEqual([]);
  });

  it("closed budgets are not loaded by a new instance; reopening is explicit and reaches it", async () => {
    const { e, make, clock, store } = setup();
    await e.upsertBudget({ id: "small", scope: { project: "p" }, limits: lifetime(50) });
    await e.closeBudget("small");
    const listed: (number | undefined)[] = [];
    const spy: Store = {
      ...store,
      listBudgets: (q) => {
        listed.push(q?.openAt);
        return store.listBudgets(q);
      },
    };
    const other = createBudgetEngine({ store: spy, catalog: createTestCatalog(), clock });
    const dims = { provider: "test", model: "test-model", project: "p" };
    expect((await other.reserve({ dimensions: dims, estimate })).status).toBe("allowed");
    expect(listed).toEqual([clock.now()]);

    const reopened = await e.reopenBudget("small");
    expect(reopened.activeUntil).toBeUndefined();
    clock.advance(1000);
    const denied = await other.reserve({ dimensions: dims, estimate });
    expect(denied.status === "denied" && denied.denial.budgetId).toBe("small");
    expect((await make().reserve({ dimensions: dims, estimate })).status).toBe("denied");
  });

  it("matches a budget only within its active period", async () => {
    const { e, clock } = setup();
    const now = clock.now();
    await e.upsertBudget({
      id: "later",
      limits: lifetime(50),
      activeFrom: now + 60_000,
      activeUntil: now + 120_000,
    });
    const dims = { provider: "test", model: "test-model" };
    expect((await e.reserve({ dimensions: dims, estimate })).status).toBe("allowed");
    clock.advance(60_000);
    expect((await e.reserve({ dimensions: dims, estimate })).status).toBe("denied");
    clock.advance(60_000);
    expect((await e.reserve({ dimensions: dims, estimate })).status).toBe("allowed");
    await expect(
      e.upsertBudget({ id: "bad", limits: lifetime(1), activeFrom: 10, activeUntil: 10 }),
    ).rejects.toMatchObject({ code: "invalid_input" });
  });
});
