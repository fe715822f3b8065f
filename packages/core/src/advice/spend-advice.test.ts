import { describe, expect, it } from "vitest";
import { createBudgetEngine } from "../engine/engine.js";
import { formatUsd } from "../money/nano-usd.js";
import { createManualClock } from "../ports/clock.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createAdviceCatalog } from "../testing/advice-fixtures.js";

const DAY = 86_400_000;
// Independent arithmetic: tokens × USD-per-million × 1000 = nano-USD (every rate here is exact).
const nano = (tokens: number, usdPerMillion: number) => BigInt(Math.round(tokens * usdPerMillion * 1000));
type Call = { inputTokens: number; cacheReadTokens?: number; outputTokens: number };
const onBig = (c: Call) =>
  nano(c.inputTokens, 10) + nano(c.cacheReadTokens ?? 0, 1) + nano(c.outputTokens, 30);
const onSmall = (c: Call) => nano(c.inputTokens + (c.cacheReadTokens ?? 0), 1) + nano(c.outputTokens, 2);

const short: Call = { inputTokens: 1000, cacheReadTokens: 500, outputTokens: 200 };
const long: Call = { inputTokens: 20000, outputTokens: 200 };
const planner = [...Array(10).fill(short), long, long] as Call[];

async function seeded() {
  const clock = createManualClock("2026-07-01T00:00:00Z");
  const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createAdviceCatalog(), clock });
  await engine.upsertBudget({
    id: "planner-month",
    scope: { component: "planner" },
    limits: [{ id: "month", window: { type: "month" }, cost: "0.8", enforcement: "warn" }],
  });
  clock.set(Date.parse("2026-07-20T00:00:00Z"));
  const start = Date.parse("2026-07-02T00:00:00Z");
  const dims = { component: "planner", taskType: "plan", provider: "acme", model: "big" };
  for (const [i, usage] of planner.entries())
    await engine.record({ dimensions: dims, usage, time: start + i * DAY });
  await engine.record({
    dimensions: { ...dims, tags: ["estimated"] },
    usage: short,
    time: start + 12 * DAY,
  });
  for (let i = 0; i < 5; i++)
    await engine.record({
      dimensions: { component: "worker", taskType: "sum", provider: "acme", model: "small" },
      usage: { inputTokens: 100, outputTokens: 50 },
      time: start + i * DAY,
    });
  return { engine, clock };
}

describe("spend advice from a seeded ledger", () => {
  it("prices cheaper capable models on the group's own calls, exactly", async () => {
    const { engine } = await seeded();
    const advice = await engine.advise({});
    const calls = [...planner, short];
    const big = calls.reduce((s, c) => s + onBig(c), 0n);
    const small = calls.reduce((s, c) => s + onSmall(c), 0n);
    const worker = 5n * (nano(100, 1) + nano(50, 2));
    expect(advice.totalCostUsd).toBe(formatUsd(big + worker));
    expect(advice.material.map((m) => m.scope.model)).toEqual(["big"]); // worker is under 5 %
    const item = advice.items.find((i) => i.kind === "cheaper_model");
    expect(item?.scope).toEqual({ component: "planner", taskType: "plan", provider: "acme", model: "big" });
    expect(item?.figures).toMatchObject({
      costUsd: formatUsd(big),
      repricedUsd: formatUsd(big),
      calls: 13,
      sharePct: Number((big * 10_000n) / (big + worker)) / 100,
    });
    // small has tools and reasoning and 32k context; cheap lacks tools; silent states nothing.
    expect(item?.alternatives).toEqual([
      {
        provider: "acme",
        model: "small",
        priceVersionId: "t:acme:small",
        costUsd: formatUsd(small),
        savingUsd: formatUsd(big - small),
        savingPct: Number(((big - small) * 10_000n) / big) / 100,
      },
    ]);
    expect(item?.queries[0]?.http).toBe(
      "GET /v1/reports?groupBy=component,taskType,provider,model&from=2026-06-20T00:00:00.000Z&to=2026-07-20T00:00:00.000Z",
    );
  });

  it("flags low cache reads, batchable spend, the budget running out, and estimated usage", async () => {
    const { engine } = await seeded();
    const advice = await engine.advise({});
    const calls = [...planner, short];
    const cache = advice.items.find((i) => i.kind === "low_cache_reads");
    const cacheRead = calls.reduce((s, c) => s + (c.cacheReadTokens ?? 0), 0);
    const inputSide = calls.reduce((s, c) => s + c.inputTokens + (c.cacheReadTokens ?? 0), 0);
    const moved = Math.floor(inputSide / 10);
    expect(cache?.figures).toMatchObject({
      cacheReadTokens: cacheRead,
      tokensPer10Points: moved,
      savingPer10PointsUsd: formatUsd(nano(moved, 10) - nano(moved, 1)),
    });
    const batch = advice.items.find((i) => i.kind === "batch");
    const big = calls.reduce((s, c) => s + onBig(c), 0n);
    expect(batch?.figures).toEqual({
      fullPriceUsd: formatUsd(big),
      atBatchPriceUsd: formatUsd(big / 2n),
      savingUsd: formatUsd(big - big / 2n),
    });
    // $0.8 a month; spent `big` in the 19 days since July 1: at that pace it is gone before August.
    const elapsed = 19n * BigInt(DAY);
    const runsOut = Date.parse("2026-07-20T00:00:00Z") + Number(((800_000_000n - big) * elapsed) / big);
    const forecast = advice.items.find((i) => i.kind === "budget_forecast");
    expect(forecast?.scope).toMatchObject({ budgetId: "planner-month", limitId: "month" });
    expect(forecast?.figures).toMatchObject({
      amount: "cost",
      runsOutAt: new Date(runsOut).toISOString(),
      resetsAt: "2026-08-01T00:00:00.000Z",
    });
    const estimated = advice.items.filter((i) => i.kind === "unreconciled_estimates");
    expect(estimated.map((i) => i.figures)).toEqual([
      { tag: "estimated", calls: 1, costUsd: formatUsd(onBig(short)) },
    ]);
  });

  it("a narrower range or filter changes what is advised; bad queries are refused", async () => {
    const { engine } = await seeded();
    const only = await engine.advise({ dimensions: { component: "worker" } });
    expect(only.material.map((m) => m.scope.model)).toEqual(["small"]);
    // Nothing cheaper is capable: beta/cheap says no tools, beta/silent says nothing, acme/big costs more.
    expect(only.items.filter((i) => i.kind === "cheaper_model")).toEqual([]);
    await expect(engine.advise({ minSharePct: 101 })).rejects.toMatchObject({ code: "invalid_input" });
  });
});
