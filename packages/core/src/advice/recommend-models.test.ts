import { describe, expect, it } from "vitest";
import { createBudgetEngine } from "../engine/engine.js";
import { formatUsd } from "../money/nano-usd.js";
import { createManualClock } from "../ports/clock.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createAdviceCatalog } from "../testing/advice-fixtures.js";
import { recommendModels } from "./recommend-models.js";

// Independent arithmetic: tokens × USD-per-million × 1000 = nano-USD (every rate here is exact).
const nano = (tokens: number, usdPerMillion: number) => BigInt(Math.round(tokens * usdPerMillion * 1000));
const call = { inputTokens: 1000, cacheReadTokens: 500, outputTokens: 200 };
const BIG = nano(1000, 10) + nano(500, 1) + nano(200, 30); // 16_500_000 per call
const SMALL = nano(1000, 1) + nano(500, 1) + nano(200, 2); // cache reads at the input rate

describe("recommendModels", () => {
  it("ranks models meeting the needs by cost, with the saving against the current model", async () => {
    const r = await recommendModels(
      createAdviceCatalog(),
      { current: { model: "big" }, usage: call, calls: 3, requires: { capabilities: ["tools"] } },
      1000,
    );
    expect(r.ranked.map((m) => `${m.provider}/${m.model}`)).toEqual(["acme/small", "acme/big"]);
    expect(r.current).toMatchObject({ model: "big", costUsd: formatUsd(3n * BIG), current: true });
    const small = r.ranked[0]!;
    expect(small.costUsd).toBe(formatUsd(3n * SMALL));
    expect(small.savingUsd).toBe(formatUsd(3n * (BIG - SMALL)));
    expect(small.savingUsd).toBe("0.043800000");
    expect(small.savingPct).toBe(88.48);
    expect(r.ranked[1]).toMatchObject({ savingUsd: "0.000000000", savingPct: 0 });
    // cheap says no tools; silent says nothing (unknown is not assumed); embed cannot price output.
    expect(r.excluded).toEqual({ missing: 1, unknown: 1, unpriced: 1 });
    expect(r.qualifying).toBe(2);
    expect(r.usage).toMatchObject({ inputTokens: 3000, cacheReadTokens: 1500, outputTokens: 600 });
  });

  it("prices each call of a sample on its own, at batch prices when asked, within a provider list", async () => {
    const sample = [{ inputTokens: 100 }, { inputTokens: 300, outputTokens: 50 }];
    const r = await recommendModels(
      createAdviceCatalog(),
      { sample, batch: true, providers: ["acme"], requires: { minContextTokens: 100000 } },
      1000,
    );
    expect(r.ranked.map((m) => m.model)).toEqual(["big"]);
    expect(r.ranked[0]?.costUsd).toBe(formatUsd((nano(100, 10) + nano(300, 10) + nano(50, 30)) / 2n));
    expect(r.ranked[0]?.savingUsd).toBeNull();
    expect(r.excluded.missing).toBe(1); // acme/small: 32k context
  });

  it("refuses a request with both usage and sample, or neither", async () => {
    const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createAdviceCatalog() });
    await expect(engine.recommendModels({})).rejects.toMatchObject({ code: "invalid_input" });
    await expect(engine.recommendModels({ usage: call, sample: [call] })).rejects.toMatchObject({
      code: "invalid_input",
    });
  });

  it("says, for each model, whether the work fits the budgets that would match it", async () => {
    const clock = createManualClock("2026-07-01T00:00:00Z");
    const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createAdviceCatalog(), clock });
    // $0.005 a day for acme/small: 3 calls cost 0.0057 there, so small does not fit; big has no budget.
    await engine.upsertBudget({
      id: "small-cap",
      scope: { model: "small" },
      limits: [{ id: "day", window: { type: "day" }, cost: "0.005", enforcement: "hard_limit" }],
    });
    const r = await engine.recommendModels({
      current: { model: "big" },
      usage: call,
      calls: 3,
      requires: { capabilities: ["tools"] },
      dimensions: { component: "planner" },
    });
    expect(r.ranked[0]).toMatchObject({
      model: "small",
      budget: { fits: false, budgetId: "small-cap", limitId: "day" },
    });
    expect(r.ranked[1]).toMatchObject({ model: "big", budget: { fits: true } });
    // Two calls (0.0038) fit.
    const two = await engine.recommendModels({ usage: call, calls: 2, dimensions: { component: "planner" } });
    expect(two.ranked.find((m) => m.model === "small")?.budget).toEqual({ fits: true });
  });
});
