import {
  computeCost,
  createManualClock,
  createMemoryStore,
  createSequentialIds,
  makeUsage,
  type PriceVersion,
  type UsageEvent,
} from "@budget/core";
import { describe, expect, it } from "vitest";
import { applyReprice } from "./apply-reprice.js";
import { planReprice } from "./plan-reprice.js";

const old: PriceVersion = {
  id: "pv_old",
  provider: "openai",
  model: "gpt-4o",
  tokenRates: { input: "2.5", output: "10" },
  unitRates: {},
  effectiveFrom: 0,
  effectiveTo: null,
  source: "bundled",
};
const cheaper: PriceVersion = {
  ...old,
  id: "pv_new",
  tokenRates: { input: "1.25", output: "5" },
  source: "manual",
};

function usageEvent(i: number, model = "gpt-4o"): UsageEvent {
  const usage = makeUsage({ inputTokens: 1000 * i, outputTokens: 333 * i });
  return {
    id: `evt_u${i}`,
    kind: "usage",
    time: 1_000 * i,
    dimensions: { provider: "openai", model, component: "c" },
    usage,
    costNanoUsd: computeCost(old, usage).costNanoUsd,
    priceVersionId: old.id,
    pricing: "priced",
    reservationId: null,
    idempotencyKey: `u${i}`,
  };
}

describe("reprice", () => {
  it("plans a dry run, then appends adjustments once, never rewriting events", async () => {
    const store = createMemoryStore();
    for (let i = 1; i <= 5; i++) await store.commit(usageEvent(i, i === 5 ? "mystery-1" : "gpt-4o"), []);
    const before = (await store.listEvents({})).events;
    const plan = await planReprice({ store, from: 0, to: 10_000, target: { priceOverrides: [cheaper] } });
    expect(plan.lines).toHaveLength(4);
    expect(plan.skipped).toEqual([{ eventId: "evt_u5", reason: "unpriced" }]);
    // Independent arithmetic: half the price halves each cost (1000i × 2.5 + 333i × 10 per Mtok).
    const oldNano = [1, 2, 3, 4].reduce((s, i) => s + (1000 * i * 2500 + 333 * i * 10_000), 0);
    expect(plan.totals.oldCostUsd).toBe((oldNano / 1e9).toFixed(9));
    expect(plan.totals.deltaUsd).toBe((-oldNano / 2 / 1e9).toFixed(9));
    expect((await store.listEvents({})).events).toEqual(before);

    const clock = createManualClock(50_000);
    const record = (e: UsageEvent) => store.commit(e, []);
    const first = await applyReprice(plan, { clock, ids: createSequentialIds(), record });
    expect(first).toMatchObject({ recorded: 4, duplicates: 0 });
    const again = await planReprice({ store, from: 0, to: 10_000, target: { priceOverrides: [cheaper] } });
    expect(again.id).toBe(plan.id);
    const second = await applyReprice(again, { clock, ids: createSequentialIds(), record });
    expect(second).toMatchObject({ recorded: 0, duplicates: 4 });
    const events = (await store.listEvents({})).events;
    expect(events.slice(0, 5)).toEqual(before);
    const adjustments = events.filter((e) => e.kind === "adjustment");
    expect(adjustments).toHaveLength(4);
    const sum = adjustments.reduce((s, e) => s + e.costNanoUsd, 0n);
    expect(sum).toBe(BigInt(-oldNano / 2));
    expect(adjustments.every((e) => e.usage.inputTokens === 0 && e.priceVersionId === "pv_new")).toBe(true);
  });
});
