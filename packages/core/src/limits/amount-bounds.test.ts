import { describe, expect, it } from "vitest";
import { createBudgetEngine } from "../engine/engine.js";
import { isBudgetError } from "../errors/budget-error.js";
import { createManualClock } from "../ports/clock.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createTestCatalog } from "../testing/fixtures.js";
import { COUNTER_CEILING, DEFAULT_AMOUNT_BOUNDS, resolveAmountBounds } from "./amount-bounds.js";

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "ok",
    (err: unknown) => (isBudgetError(err) ? err.code : String(err)),
  );

function setup(bounds?: Parameters<typeof resolveAmountBounds>[0]) {
  const store = createMemoryStore();
  const engine = createBudgetEngine({
    store,
    catalog: createTestCatalog(),
    clock: createManualClock("2026-05-01T00:00:00Z"),
    ...(bounds ? { amountBounds: bounds } : {}),
  });
  return { store, engine };
}

describe("amount bounds", () => {
  it("keeps the defaults far inside the counter ceiling and refuses bounds that do not", () => {
    const d = DEFAULT_AMOUNT_BOUNDS;
    expect(d.limit.costNanoUsd * 4n).toBeLessThan(COUNTER_CEILING.costNanoUsd);
    expect(d.limit.tokens * 4).toBeLessThan(COUNTER_CEILING.tokens);
    expect(resolveAmountBounds({ maxEventTokens: 5 }).event.tokens).toBe(5);
    expect(() => resolveAmountBounds({ maxLimitCostUsd: "2000000000" })).toThrow(/at most/);
    expect(() => resolveAmountBounds({ maxEventTokens: 10 ** 15 + 1 })).toThrow(/at least event/);
    expect(() => resolveAmountBounds({ maxEventCostUsd: "0" })).toThrow();
  });

  it("refuses a record past the event bounds with amount_too_large, and stores nothing", async () => {
    const { store, engine } = setup({ maxEventTokens: 1000, maxEventCostUsd: "5" });
    await engine.upsertBudget({ id: "org", limits: [{ id: "m", window: { type: "month" }, cost: "100" }] });
    const dims = { component: "c", model: "test-model" };
    expect(await codeOf(engine.record({ dimensions: dims, usage: { inputTokens: 1001 } }))).toBe(
      "amount_too_large",
    );
    expect(await codeOf(engine.record({ dimensions: dims, usage: {}, costUsd: "5.000000001" }))).toBe(
      "amount_too_large",
    );
    expect(await codeOf(engine.reserve({ dimensions: dims, estimate: { outputTokens: 2000 } }))).toBe(
      "amount_too_large",
    );
    expect((await store.listEvents({})).events).toHaveLength(0);
    expect(await store.listCounters()).toEqual([]);
    expect(
      await codeOf(engine.record({ dimensions: dims, usage: { inputTokens: 1000 }, costUsd: "5" })),
    ).toBe("ok");
  });

  it("refuses a limit or an overdraft past the limit bounds", async () => {
    const { engine } = setup({ maxLimitTokens: 10_000 });
    const limit = { id: "m", window: { type: "month" as const } };
    expect(await codeOf(engine.upsertBudget({ id: "a", limits: [{ ...limit, tokens: 10_001 }] }))).toBe(
      "amount_too_large",
    );
    expect(
      await codeOf(
        engine.upsertBudget({ id: "a", limits: [{ ...limit, tokens: 10, overdraft: { tokens: 10_001 } }] }),
      ),
    ).toBe("amount_too_large");
    expect(
      await codeOf(engine.upsertBudget({ id: "a", limits: [{ ...limit, cost: "1000000000.000000001" }] })),
    ).toBe("amount_too_large");
    expect(await engine.getBudget("a")).toBeNull();
  });

  it("refuses the event that would take a counter past its ceiling with counter_overflow, changing nothing", async () => {
    const max = "1152921504"; // just under a quarter of the cost ceiling
    const { store, engine } = setup({ maxEventCostUsd: max, maxLimitCostUsd: max });
    await engine.upsertBudget({
      id: "org",
      limits: [{ id: "m", window: { type: "lifetime" }, cost: "1", enforcement: "warn" }],
    });
    const dims = { component: "c", model: "test-model" };
    for (let i = 0; i < 4; i++)
      expect(await codeOf(engine.record({ dimensions: dims, usage: {}, costUsd: max }))).toBe("ok");
    const before = await store.listCounters("org");
    expect(await codeOf(engine.record({ dimensions: dims, usage: {}, costUsd: max }))).toBe(
      "counter_overflow",
    );
    expect(await codeOf(engine.reserve({ dimensions: dims, costUsd: max, priority: "critical" }))).toBe(
      "counter_overflow",
    );
    expect(await store.listCounters("org")).toEqual(before);
    expect((await store.listEvents({})).events).toHaveLength(4);
    // A small event still fits under the ceiling.
    expect(await codeOf(engine.record({ dimensions: dims, usage: {}, costUsd: "1" }))).toBe("ok");
  });
});
