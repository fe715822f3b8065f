import { describe, expect, it } from "vitest";
import { type BudgetError, isBudgetError } from "../errors/budget-error.js";
import { createManualClock } from "../ports/clock.js";
import { createSequentialIds } from "../ports/ids.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createTestCatalog } from "../testing/fixtures.js";
import { createBudgetEngine } from "./engine.js";
import type { EngineEvent } from "./requests.js";

function setup(unknownModel?: Parameters<typeof createBudgetEngine>[0]["unknownModel"]) {
  const store = createMemoryStore();
  const clock = createManualClock("2026-05-01T00:00:00Z");
  const engine = createBudgetEngine({
    store,
    catalog: createTestCatalog(),
    clock,
    ids: createSequentialIds(),
    ...(unknownModel ? { unknownModel } : {}),
  });
  return { store, clock, engine };
}

const invalid = async (p: Promise<unknown>, field: string) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isBudgetError(err, "invalid_input"), String(err)).toBe(true);
  expect((err as BudgetError).message).toContain(field);
};

describe("engine: bad input gets a clear typed error and changes nothing", () => {
  it("rejects negative, fractional and NaN token counts", async () => {
    const { engine, store } = setup();
    const dims = { provider: "test", model: "test-model" };
    await invalid(engine.record({ dimensions: dims, usage: { inputTokens: -1 } }), "usage.inputTokens");
    await invalid(engine.record({ dimensions: dims, usage: { outputTokens: 1.5 } }), "usage.outputTokens");
    await invalid(
      engine.reserve({ dimensions: dims, estimate: { inputTokens: Number.NaN } }),
      "estimate.inputTokens",
    );
    await invalid(
      engine.record({ dimensions: dims, usage: { outputTokens: 1, reasoningTokens: 2 } }),
      "reasoningTokens",
    );
    await invalid(
      engine.record({ dimensions: { ...dims, colour: "red" } as never, usage: {} }),
      "dimensions",
    );
    expect((await store.listEvents({})).events).toEqual([]);
  });

  it("rejects an unknown window, a limit of 0, a limit with no amount and a bad time zone", async () => {
    const { engine, store } = setup();
    await invalid(
      engine.upsertBudget({
        id: "b",
        limits: [{ id: "l", window: { type: "fortnight" } as never, tokens: 5 }],
      }),
      "window",
    );
    await invalid(
      engine.upsertBudget({ id: "b", limits: [{ id: "l", window: { type: "day" }, tokens: 0 }] }),
      "tokens",
    );
    await invalid(
      engine.upsertBudget({ id: "b", limits: [{ id: "l", window: { type: "day" }, cost: "0" }] }),
      "cost",
    );
    await invalid(
      engine.upsertBudget({ id: "b", limits: [{ id: "l", window: { type: "day" } }] }),
      "at least one of",
    );
    await invalid(engine.upsertBudget({ id: "b", limits: [] }), "at least one limit");
    await invalid(
      engine.upsertBudget({
        id: "b",
        timezone: "Mars/Olympus",
        limits: [{ id: "l", window: { type: "day" }, tokens: 5 }],
      }),
      "timezone",
    );
    await invalid(
      engine.upsertBudget({
        id: "b",
        scope: { worker: "" },
        limits: [{ id: "l", window: { type: "day" }, tokens: 5 }],
      }),
      "scope.worker",
    );
    expect(await store.listBudgets()).toEqual([]);
  });

  it("refuses a record in the future and a commit of an unknown reservation", async () => {
    const { engine, clock } = setup();
    await invalid(
      engine.record({ dimensions: { model: "test-model" }, usage: {}, time: clock.now() + 3_600_000 }),
      "time",
    );
    await expect(engine.commit({ reservationId: "res_nope", usage: {} })).rejects.toSatisfy((e) =>
      isBudgetError(e, "not_found"),
    );
  });
});

describe("engine behaviour", () => {
  it("charges the configured fallback price for an unknown model, marked as such", async () => {
    const { engine } = setup({ mode: "fallback_price", tokenRates: { input: "10", output: "30" } });
    const r = await engine.record({
      dimensions: { model: "mystery" },
      usage: { inputTokens: 1000, outputTokens: 100 },
    });
    expect(r.event.costNanoUsd).toBe(13_000_000n);
    expect(r.event.pricing).toBe("fallback_price");
    expect(r.event.priceVersionId).toBe("fallback");
  });

  it("records an explicit cost and estimates costs", async () => {
    const { engine } = setup();
    const r = await engine.record({
      dimensions: { model: "anything" },
      usage: { inputTokens: 5 },
      costUsd: "0.25",
    });
    expect([r.event.costNanoUsd, r.event.pricing, r.event.priceVersionId]).toEqual([
      250_000_000n,
      "explicit",
      null,
    ]);
    expect(
      await engine.estimateCost({
        model: "test-model",
        usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
      }),
    ).toEqual({
      ok: true,
      costNanoUsd: 3_000_000_000n,
      priceVersionId: "test:test-model:1",
      pricing: "priced",
    });
  });

  it("warns past a warn limit but allows, and tells subscribers", async () => {
    const { engine } = setup();
    const seen: EngineEvent["type"][] = [];
    engine.subscribe((e) => seen.push(e.type));
    await engine.upsertBudget({
      id: "w",
      limits: [{ id: "d", window: { type: "day" }, tokens: 10, enforcement: "warn" }],
    });
    const r = await engine.reserve({ dimensions: { model: "test-model" }, estimate: { inputTokens: 50 } });
    expect(r.status === "allowed" && r.warnings.map((w) => w.budgetId)).toEqual(["w"]);
    if (r.status === "allowed")
      await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 50 } });
    expect(seen).toEqual(["budget", "reservation", "usage", "alert", "alert", "alert"]);
  });

  it("ignores disabled budgets and `ignore` limits for enforcement", async () => {
    const { engine } = setup();
    await engine.upsertBudget({
      id: "off",
      enabled: false,
      limits: [{ id: "d", window: { type: "day" }, tokens: 1 }],
    });
    await engine.upsertBudget({
      id: "track",
      limits: [{ id: "d", window: { type: "day" }, tokens: 1, enforcement: "ignore" }],
    });
    const r = await engine.reserve({ dimensions: { model: "test-model" }, estimate: { inputTokens: 50 } });
    expect(r.status === "allowed" && r.budgetIds).toEqual(["track"]);
  });

  it("raises one denial alert per limit and window, however often the caller retries", async () => {
    const { engine, store, clock } = setup();
    await engine.upsertBudget({ id: "tiny", limits: [{ id: "d", window: { type: "day" }, tokens: 10 }] });
    for (let i = 0; i < 5; i++)
      await engine.reserve({ dimensions: { model: "test-model" }, estimate: { inputTokens: 50 } });
    const denials = (await store.listAlerts({})).alerts.filter((a) => a.type === "denial");
    expect(denials.map((a) => [a.data.budgetId, a.data.limitId])).toEqual([["tiny", "d"]]);
    clock.advance(86_400_000);
    await engine.reserve({ dimensions: { model: "test-model" }, estimate: { inputTokens: 50 } });
    expect((await store.listAlerts({})).alerts.filter((a) => a.type === "denial")).toHaveLength(2);
  });

  it("prices a commit with the model actually used", async () => {
    const { engine } = setup();
    const r = await engine.reserve({ dimensions: { model: "test-model" }, estimate: { inputTokens: 1000 } });
    if (r.status !== "allowed") throw new Error("expected allowed");
    const c = await engine.commit({
      reservationId: r.reservationId,
      usage: { inputTokens: 1000 },
      model: "test-mini",
    });
    expect([c.event.dimensions.model, c.event.costNanoUsd]).toEqual(["test-mini", 100_000n]);
  });

  it("adds a commit's tags to the reservation's on the event, counting toward budgets scoped on them", async () => {
    const { engine } = setup();
    await engine.upsertBudget({
      id: "estimates",
      scope: { tags: ["estimated"] },
      limits: [{ id: "all", window: { type: "lifetime" }, tokens: 1e9 }],
    });
    const r = await engine.reserve({
      dimensions: { model: "test-model", tags: ["batch-7"] },
      estimate: { inputTokens: 1000 },
    });
    if (r.status !== "allowed") throw new Error("expected allowed");
    expect(r.budgetIds).not.toContain("estimates");
    const c = await engine.commit({
      reservationId: r.reservationId,
      usage: { inputTokens: 400 },
      tags: ["estimated", "batch-7"],
    });
    expect(c.event.dimensions.tags).toEqual(["batch-7", "estimated"]);
    const [status] = await engine.status({ budgetId: "estimates" });
    expect(status?.used.tokens).toBe(400);
    await invalid(engine.commit({ reservationId: "res_x", usage: {}, tags: [""] }), "commit.tags.0");
  });
});

describe("engine: reports", () => {
  it("rejects a report in an unknown time zone as invalid input", async () => {
    const { engine } = setup();
    await invalid(engine.report({ bucket: "day", timezone: "Mars/Olympus" }), "report.timezone");
  });
});
