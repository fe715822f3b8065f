import { describe, expect, it } from "vitest";
import { createManualClock } from "../ports/clock.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createAdviceCatalog } from "../testing/advice-fixtures.js";
import { createBudgetEngine } from "./engine.js";

// acme/big: 1000 in + 200 out = 0.016 USD; acme/small: 0.0014; beta/cheap: 0.00014 (no tools).
const estimate = { inputTokens: 1000, outputTokens: 200 };

async function setUp() {
  const store = createMemoryStore();
  const engine = createBudgetEngine({
    store,
    catalog: createAdviceCatalog(),
    clock: createManualClock("2026-07-01T00:00:00Z"),
  });
  await engine.upsertBudget({
    id: "big-cap",
    scope: { model: "big" },
    limits: [{ id: "day", window: { type: "day" }, cost: "0.01", enforcement: "hard_limit" }],
  });
  return { engine, store };
}

const reservedCost = async (store: ReturnType<typeof createMemoryStore>) =>
  (await store.listCounters()).reduce((s, c) => s + c.reserved.costNanoUsd, 0n);

describe("reservations with candidate models", () => {
  it("holds the first candidate that fits and says why the earlier ones did not", async () => {
    const { engine, store } = await setUp();
    const r = await engine.reserve({
      dimensions: { component: "planner" },
      estimate,
      candidates: ["big", "small", "cheap"],
    });
    expect(r.status).toBe("allowed");
    if (r.status !== "allowed") return;
    expect(r.model).toBe("small");
    expect(r.candidates).toEqual([
      expect.objectContaining({ model: "big", outcome: "denied", budgetId: "big-cap", limitId: "day" }),
      { model: "small", provider: null, outcome: "chosen", reason: "fits every matching budget" },
      { model: "cheap", provider: null, outcome: "not_tried", reason: "an earlier candidate fits" },
    ]);
    expect(r.estimate.costNanoUsd).toBe(1_400_000n);
    expect((await store.getReservation(r.reservationId))?.dimensions).toMatchObject({
      model: "small",
      provider: "acme",
    });
    // The denied try left nothing held anywhere.
    expect(await reservedCost(store)).toBe(0n); // no budget matches small
    const counters = await store.listCounters("big-cap");
    expect(counters.every((c) => c.reserved.costNanoUsd === 0n)).toBe(true);
  });

  it("skips candidates lacking a required capability, or unknown to the catalog", async () => {
    const { engine } = await setUp();
    const r = await engine.reserve({
      dimensions: { component: "planner" },
      estimate,
      candidates: ["nope", { model: "cheap", provider: "beta" }, "silent", "small"],
      requires: { capabilities: ["tools"] },
    });
    expect(r.status === "allowed" && r.model).toBe("small");
    expect(r.candidates?.map((c) => [c.model, c.outcome])).toEqual([
      ["nope", "unknown_model"],
      ["cheap", "lacks_capabilities"],
      ["silent", "lacks_capabilities"],
      ["small", "chosen"],
    ]);
    expect(r.candidates?.[1]).toMatchObject({ provider: "beta", missing: ["tools"], unknown: [] });
    expect(r.candidates?.[2]).toMatchObject({ missing: [], unknown: ["tools"] });
  });

  it("denies with the most preferred candidate's denial when none fits, or no_candidate", async () => {
    const { engine } = await setUp();
    const r = await engine.reserve({
      dimensions: {},
      estimate,
      candidates: ["big", "cheap"],
      requires: { capabilities: ["reasoning"], minContextTokens: 100000 },
    });
    expect(r.status).toBe("denied");
    if (r.status !== "denied") return;
    expect(r.denial).toMatchObject({ budgetId: "big-cap", limitId: "day" });
    expect(r.candidates?.map((c) => c.outcome)).toEqual(["denied", "lacks_capabilities"]);
    const none = await engine.reserve({
      dimensions: {},
      estimate,
      candidates: ["cheap"],
      requires: { capabilities: ["tools"] },
    });
    expect(none.status === "denied" && none.denial.reason).toBe("no_candidate");
    await expect(engine.reserve({ dimensions: {}, candidates: [] })).rejects.toMatchObject({
      code: "invalid_input",
    });
  });

  it("concurrent reservations never overspend: each holds a candidate that fits, all-or-nothing", async () => {
    const { engine, store } = await setUp();
    await engine.upsertBudget({
      id: "team",
      scope: { component: "team" },
      limits: [{ id: "day", window: { type: "day" }, cost: "0.005", enforcement: "hard_limit" }],
    });
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        engine.reserve({ dimensions: { component: "team" }, estimate, candidates: ["small", "cheap"] }),
      ),
    );
    const allowed = results.filter((r) => r.status === "allowed");
    const held = allowed.reduce((s, r) => s + (r.status === "allowed" ? r.estimate.costNanoUsd : 0n), 0n);
    expect(held).toBeLessThanOrEqual(5_000_000n);
    expect(await reservedCost(store)).toBe(held);
    // small fits 3 times (3 × 0.0014 = 0.0042), then cheap (0.00014) fills what is left: 5 more.
    expect(allowed.filter((r) => r.status === "allowed" && r.model === "small")).toHaveLength(3);
    expect(allowed.filter((r) => r.status === "allowed" && r.model === "cheap")).toHaveLength(5);
  });
});
