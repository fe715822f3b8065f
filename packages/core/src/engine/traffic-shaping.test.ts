import { describe, expect, it } from "vitest";
import type { Limit } from "../budget/budget.js";
import { isBudgetError } from "../errors/budget-error.js";
import { createManualClock } from "../ports/clock.js";
import { createSequentialIds } from "../ports/ids.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createTestCatalog } from "../testing/fixtures.js";
import { createBudgetEngine } from "./engine.js";
import type { Denial } from "./requests.js";

const dims = { provider: "test", model: "test-model" };

async function setup(limit: Omit<Limit, "enforcement" | "thresholds"> & Partial<Limit>) {
  const clock = createManualClock("2026-05-01T10:30:00Z");
  const engine = createBudgetEngine({
    store: createMemoryStore(),
    catalog: createTestCatalog(),
    clock,
    ids: createSequentialIds(),
  });
  await engine.upsertBudget({ id: "b", limits: [limit] });
  const reserve = async (inputTokens: number) =>
    engine.reserve({ dimensions: dims, estimate: { inputTokens } });
  const spend = async (inputTokens: number) => engine.record({ dimensions: dims, usage: { inputTokens } });
  const denied = async (inputTokens: number): Promise<Denial> => {
    const r = await reserve(inputTokens);
    if (r.status !== "denied") throw new Error("expected a denial");
    return r.denial;
  };
  return { clock, engine, reserve, spend, denied };
}

describe("retryAfterMs on a denial", () => {
  it("is the time to the reset for a calendar window", async () => {
    const { denied, spend } = await setup({ id: "d", window: { type: "day" }, tokens: 100 });
    await spend(90);
    const d = await denied(20);
    expect(d.retryAfterMs).toBe(13.5 * 3_600_000);
    expect(d.resetsAt).toBe(Date.parse("2026-05-02T00:00:00Z"));
    expect(d.windowStart).toBe(Date.parse("2026-05-01T00:00:00Z"));
  });

  it("is null for a lifetime window and for a request larger than the limit", async () => {
    const life = await setup({ id: "l", window: { type: "lifetime" }, tokens: 100 });
    await life.spend(90);
    expect((await life.denied(20)).retryAfterMs).toBeNull();
    const day = await setup({ id: "d", window: { type: "day" }, tokens: 100 });
    expect((await day.denied(101)).retryAfterMs).toBeNull();
  });

  it("follows the usage of a rolling window out: the request fits exactly when it says", async () => {
    const { clock, denied, spend, reserve } = await setup({
      id: "r",
      window: { type: "rolling", minutes: 60 },
      tokens: 100,
    });
    await spend(30); // 10:30
    clock.advance(10 * 60_000);
    await spend(40); // 10:40
    clock.advance(10 * 60_000); // 10:50: 70 used
    const d = await denied(50); // 20 must leave: the 10:30 bucket suffices
    expect(d.retryAfterMs).toBe(41 * 60_000); // the 10:30 bucket (1 min) leaves at 11:31
    clock.advance(d.retryAfterMs! - 1);
    expect((await reserve(50)).status).toBe("denied");
    clock.advance(1);
    expect((await reserve(50)).status).toBe("allowed");
  });

  it("waits for as many buckets as the request needs", async () => {
    const { clock, denied, spend } = await setup({
      id: "r",
      window: { type: "rolling", minutes: 60 },
      tokens: 100,
    });
    await spend(30);
    clock.advance(10 * 60_000);
    await spend(40);
    clock.advance(10 * 60_000);
    expect((await denied(80)).retryAfterMs).toBe(51 * 60_000); // both buckets: 10:40's leaves at 11:41
  });
});

describe("concurrency limits", () => {
  it("refuses a cap of 0 or less naming the field, storing nothing", async () => {
    const { engine } = await setup({ id: "d", window: { type: "day" }, tokens: 100 });
    for (const concurrency of [0, -1, 1.5]) {
      const err = await engine
        .upsertBudget({ id: "c", limits: [{ id: "slots", window: { type: "lifetime" }, concurrency }] })
        .catch((e: unknown) => e);
      expect(isBudgetError(err, "invalid_input")).toBe(true);
      expect((err as Error).message).toContain("limits.0.concurrency");
    }
    expect(await engine.getBudget("c")).toBeNull();
  });

  it("a concurrency denial names the slots, says no retry time and raises no denial alert", async () => {
    const { engine, reserve } = await setup({ id: "slots", window: { type: "lifetime" }, concurrency: 1 });
    expect((await reserve(1)).status).toBe("allowed");
    const r = await reserve(1);
    if (r.status !== "denied") throw new Error("expected denied");
    expect(r.denial).toMatchObject({
      limitId: "slots",
      limit: { concurrency: 1 },
      remaining: { concurrency: 0 },
      retryAfterMs: null,
    });
    expect(r.denial.message).toContain("1 of 1 reservations in flight");
    expect((await engine.store.listAlerts({})).alerts).toEqual([]);
    const [s] = await engine.status({ budgetId: "b" });
    expect([s?.inFlight, s?.limit, s?.remaining]).toEqual([1, { concurrency: 1 }, { concurrency: 0 }]);
  });
});

describe("partial grants: up to the estimate's output, at least minOutputTokens", () => {
  const ask = (outputTokens: number, minOutputTokens: number) => ({
    dimensions: dims,
    estimate: { inputTokens: 200, outputTokens },
    minOutputTokens,
  });

  it("holds what fits a token limit, and the full estimate when it fits", async () => {
    const { engine } = await setup({ id: "d", window: { type: "day" }, tokens: 1000 });
    const full = await engine.reserve(ask(300, 100));
    expect(full).toMatchObject({ status: "allowed", grantedOutputTokens: 300 });
    const part = await engine.reserve(ask(2000, 100)); // 500 tokens left, 200 of them input
    expect(part).toMatchObject({ status: "allowed", grantedOutputTokens: 300, estimate: { tokens: 500 } });
    const [s] = await engine.status({ budgetId: "b" });
    expect(s?.reserved.tokens).toBe(1000);
    const none = await engine.reserve(ask(2000, 1));
    expect(none.status).toBe("denied");
  });

  it("prices the grant exactly against a cost limit, then against every other limit", async () => {
    // $0.001 = 1,000,000 nano-USD: 200 input tokens cost 200,000, each output token 2,000.
    const { engine } = await setup({ id: "d", window: { type: "day" }, cost: "0.001" });
    const r = await engine.reserve(ask(5000, 10));
    expect(r).toMatchObject({ status: "allowed", grantedOutputTokens: 400 });
    if (r.status === "allowed") expect(r.estimate.costNanoUsd).toBe(1_000_000n);
    await engine.upsertBudget({ id: "t", limits: [{ id: "d", window: { type: "day" }, tokens: 450 }] });
    await engine.release(r.status === "allowed" ? r.reservationId : "");
    // The cost limit allows 400 output tokens, the token limit only 250.
    expect(await engine.reserve(ask(5000, 10))).toMatchObject({
      status: "allowed",
      grantedOutputTokens: 250,
    });
  });

  it("denies as before when not even the minimum fits, or a concurrency slot is the problem", async () => {
    const { engine } = await setup({ id: "d", window: { type: "day" }, tokens: 1000 });
    const r = await engine.reserve(ask(2000, 900));
    if (r.status !== "denied") throw new Error("expected denied");
    expect(r.denial.requested.tokens).toBe(2200);
    const slots = await setup({ id: "s", window: { type: "lifetime" }, concurrency: 1, tokens: 5000 });
    expect((await slots.engine.reserve(ask(100, 10))).status).toBe("allowed");
    expect((await slots.engine.reserve(ask(100, 10))).status).toBe("denied");
  });

  it("refuses a minimum above the estimate's output naming the field", async () => {
    const { engine } = await setup({ id: "d", window: { type: "day" }, tokens: 1000 });
    const err = await engine.reserve(ask(100, 101)).catch((e: unknown) => e);
    expect(isBudgetError(err, "invalid_input")).toBe(true);
    expect((err as Error).message).toContain("minOutputTokens");
    expect(await engine.status({ budgetId: "b" })).toMatchObject([{ reserved: { tokens: 0 } }]);
  });
});

describe("priority shares", () => {
  it("keeps the last share of the amounts for high and critical callers", async () => {
    const { engine } = await setup({ id: "d", window: { type: "day" }, tokens: 1000, priorityShare: 0.1 });
    const as = (priority: "low" | "normal" | "high" | "critical", inputTokens: number) =>
      engine.reserve({ dimensions: dims, estimate: { inputTokens }, priority });
    expect((await as("normal", 850)).status).toBe("allowed");
    const normal = await as("normal", 100);
    if (normal.status !== "denied") throw new Error("expected denied");
    expect([normal.denial.limit, normal.denial.remaining]).toEqual([{ tokens: 900 }, { tokens: 50 }]);
    expect((await as("low", 100)).status).toBe("denied");
    expect((await as("high", 100)).status).toBe("allowed");
    expect((await as("critical", 60)).status).toBe("denied"); // no overdraft: 1000 is all
  });

  it("keeps concurrency slots the same way, rounding the shared part down", async () => {
    const { engine } = await setup({
      id: "s",
      window: { type: "lifetime" },
      concurrency: 5,
      priorityShare: 0.25,
    });
    const as = (priority: "normal" | "high") => engine.reserve({ dimensions: dims, priority });
    const normal = await Promise.all([as("normal"), as("normal"), as("normal"), as("normal")]);
    const allowed = (rs: { status: string }[]) => rs.filter((r) => r.status === "allowed").length;
    expect(allowed(normal)).toBe(3); // 75 % of 5, rounded down
    expect(allowed(await Promise.all([as("high"), as("high"), as("high")]))).toBe(2);
  });

  it("refuses a share of 0, 1 or more, naming the field", async () => {
    const { engine } = await setup({ id: "d", window: { type: "day" }, tokens: 1000 });
    for (const priorityShare of [0, 1, 1.5]) {
      const err = await engine
        .upsertBudget({ id: "p", limits: [{ id: "d", window: { type: "day" }, tokens: 10, priorityShare }] })
        .catch((e: unknown) => e);
      expect((err as Error).message).toContain("limits.0.priorityShare");
    }
    expect(await engine.getBudget("p")).toBeNull();
  });
});

describe("overrides: every user $10/day, alice $50/day, bots $0", () => {
  const perUser = (overrides: unknown[]) => ({
    id: "users",
    scope: { user: { each: true as const } },
    limits: [{ id: "daily", window: { type: "day" as const }, cost: "10" }],
    overrides: overrides as never,
  });
  const spend = (user: string, usd: number) => ({
    dimensions: { ...dims, user },
    estimate: { inputTokens: 0 },
    costUsd: String(usd),
  });

  it("applies the partition's amounts, the default elsewhere, and 0 blocks", async () => {
    const { engine } = await setup({ id: "d", window: { type: "day" }, tokens: 1_000_000 });
    await engine.upsertBudget(
      perUser([
        { match: { user: "alice" }, limits: { daily: { cost: "50" } } },
        { match: { user: "bot" }, limits: { daily: { cost: "0" } } },
      ]),
    );
    expect((await engine.reserve(spend("bob", 11))).status).toBe("denied");
    expect((await engine.reserve(spend("alice", 40))).status).toBe("allowed");
    const bot = await engine.reserve(spend("bot", 0.01));
    if (bot.status !== "denied") throw new Error("expected denied");
    expect(bot.denial.limit).toEqual({ costNanoUsd: 0n });
    const rows = await engine.status({ budgetId: "users", partition: "user=alice" });
    expect(rows[0]?.limit).toEqual({ costNanoUsd: 50_000_000_000n });
  });

  it("changing an override moves nothing already counted", async () => {
    const { engine } = await setup({ id: "d", window: { type: "day" }, tokens: 1_000_000 });
    await engine.upsertBudget(perUser([{ match: { user: "alice" }, limits: { daily: { cost: "50" } } }]));
    await engine.record({ dimensions: { ...dims, user: "alice" }, usage: {}, costUsd: "30" });
    const before = await engine.store.listCounters("users");
    await engine.upsertBudget(perUser([{ match: { user: "alice" }, limits: { daily: { cost: "35" } } }]));
    expect(await engine.store.listCounters("users")).toEqual(before);
    expect((await engine.reserve(spend("alice", 6))).status).toBe("denied");
    expect((await engine.reserve(spend("alice", 5))).status).toBe("allowed");
    expect((await engine.reconcile()).drift).toEqual([]);
  });

  it("refuses an override for a dimension the budget does not partition, or an unknown limit, naming the field", async () => {
    const { engine } = await setup({ id: "d", window: { type: "day" }, tokens: 1_000_000 });
    const refused = async (overrides: unknown[], field: string) => {
      const err = await engine.upsertBudget(perUser(overrides)).catch((e: unknown) => e);
      expect(isBudgetError(err, "invalid_input"), String(err)).toBe(true);
      expect((err as Error).message).toContain(field);
    };
    await refused(
      [{ match: { model: "gpt-4o" }, limits: { daily: { cost: "1" } } }],
      "overrides.0.match.model",
    );
    await refused([{ match: { user: "a" }, limits: { weekly: { cost: "1" } } }], "overrides.0.limits.weekly");
    await refused(
      [{ match: { user: "a" }, limits: { daily: { cost: "-1" } } }],
      "overrides.0.limits.daily.cost",
    );
    await refused(
      [
        { match: { user: "a" }, limits: { daily: { cost: "1" } } },
        { match: { user: "a" }, limits: { daily: { cost: "2" } } },
      ],
      "overrides.1.match",
    );
    expect(await engine.getBudget("users")).toBeNull();
  });
});
