import { BudgetExceededError } from "@budget/calls";
import { isBudgetError } from "@budget/core";
import { describe, expect, it } from "vitest";
import type { RunConfigInput } from "./config.js";
import { createTestEngine } from "./test-support.js";
import { createTokenBudgetManager } from "./token-budget-manager.js";
import type { BudgetWarning } from "./warnings.js";

const base: RunConfigInput = {
  maxTokensPerTask: 300,
  maxTokensPerWorker: 600,
  totalBudgetLimit: { tokens: 1000 },
};

function setup(extra: Partial<RunConfigInput> = {}) {
  const engine = createTestEngine();
  const warnings: BudgetWarning[] = [];
  const manager = createTokenBudgetManager({
    client: engine,
    runId: "r1",
    config: { ...base, ...extra },
    provider: "test",
    onWarning: (w) => warnings.push(w),
  });
  return { engine, manager, warnings };
}

const call = (tokens: number) => async () => ({ value: `used ${tokens}`, usage: { inputTokens: tokens } });
const est = (tokens: number) => ({ model: "test-model", estimate: { inputTokens: tokens } });

describe("worker guard", () => {
  it("reserves before the call, commits the reported usage after", async () => {
    const { engine, manager } = setup();
    await manager.ensureBudgets();
    const guard = manager.createWorkerGuard("w1");
    let heldDuringCall = -1;
    const result = await guard.call("t1", est(250), async ({ model, reservationId }) => {
      expect(model).toBe("test-model");
      expect((await engine.store.getReservation(reservationId))?.status).toBe("active");
      heldDuringCall = (await manager.getRemainingBudget()).reservedTokens;
      return { value: "done", usage: { inputTokens: 120, outputTokens: 30 } };
    });
    expect(heldDuringCall).toBe(250);
    expect(result).toEqual({ value: "done", tokens: 150, costUsd: "0.000180000", warnings: [] });
    const left = await manager.getRemainingBudget();
    expect(left).toMatchObject({ usedTokens: 150, reservedTokens: 0 });
    const [event] = (await engine.store.listEvents({})).events;
    expect(event?.dimensions).toEqual({
      component: "orchestrator",
      run: "r1",
      worker: "w1",
      task: "t1",
      model: "test-model",
      provider: "test",
    });
  });

  it("releases the hold when the call throws, and the worker goes on", async () => {
    const { engine, manager } = setup();
    const guard = manager.createWorkerGuard("w1");
    let reservation = "";
    await expect(
      guard.call("t1", est(250), async ({ reservationId }) => {
        reservation = reservationId;
        throw new Error("provider down");
      }),
    ).rejects.toThrow("provider down");
    expect((await engine.store.getReservation(reservation))?.status).toBe("released");
    expect(await manager.getRemainingBudget()).toMatchObject({
      usedTokens: 0,
      reservedTokens: 0,
      tokens: 1000,
    });
    expect(guard.halted).toBeNull();
    await expect(guard.call("t1", est(100), call(100))).resolves.toMatchObject({ tokens: 100 });
  });

  it("fails only the task when the task limit denies", async () => {
    const { manager } = setup();
    const guard = manager.createWorkerGuard("w1");
    await guard.call("t1", est(200), call(200));
    const err = await guard.call("t1", est(200), call(200)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect(err).toMatchObject({ budgetId: "run:r1:task", limitId: "lifetime", partition: "task=t1" });
    expect(guard.halted).toBeNull();
    await expect(guard.call("t2", est(200), call(200))).resolves.toMatchObject({ tokens: 200 });
  });

  it("halts a worker at its own limit with a clear reason; other workers go on", async () => {
    const { manager } = setup();
    const w1 = manager.createWorkerGuard("w1");
    const w2 = manager.createWorkerGuard("w2");
    await w1.call("t1", est(300), call(300));
    await w1.call("t2", est(250), call(250));
    const err = await w1.call("t3", est(100), call(100)).catch((e: unknown) => e);
    expect(err).toMatchObject({
      name: "BudgetExceededError",
      budgetId: "run:r1:worker",
      remaining: { tokens: 50 },
    });
    expect(w1.halted?.reason).toBe(
      'worker w1 halted: budget "run:r1:worker" limit "lifetime" (worker=w1) would be exceeded: 50 of 600 tokens left',
    );
    // Halted: even a call that would fit is refused, without asking the service.
    await expect(w1.call("t4", est(10), call(10))).rejects.toBe(err);
    await expect(w2.call("t3", est(100), call(100))).resolves.toMatchObject({ tokens: 100 });
  });

  it("halts every worker when a strict run limit is reached", async () => {
    const { manager, warnings } = setup({ maxTokensPerWorker: 5000, maxTokensPerTask: 5000 });
    const w1 = manager.createWorkerGuard("w1");
    const w2 = manager.createWorkerGuard("w2");
    for (const [g, t] of [
      [w1, "t1"],
      [w2, "t2"],
      [w1, "t3"],
    ] as const)
      await g.call(t, est(300), call(300));
    expect(warnings.map((w) => [w.kind, w.budgetId, w.threshold])).toEqual([["threshold", "run:r1", 0.8]]);
    await expect(w2.call("t4", est(300), call(300))).rejects.toMatchObject({ budgetId: "run:r1" });
    expect(w2.halted?.reason).toMatch(
      /^worker w2 halted: budget "run:r1" limit "lifetime" would be exceeded: 100 of 1000/,
    );
    await w1.call("t5", est(100), call(100));
    await expect(w1.call("t6", est(1), call(1))).rejects.toBeInstanceOf(BudgetExceededError);
    expect(w1.halted?.taskId).toBe("t6");
  });

  it("in soft mode warns once per limit and continues past the limits", async () => {
    const { manager, warnings } = setup({ budgetEnforcementMode: "soft", maxTokensPerTask: 5000 });
    const w1 = manager.createWorkerGuard("w1");
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await w1.call(`t${i}`, est(300), call(300)));
    expect(w1.halted).toBeNull();
    expect((await manager.getRemainingBudget()).usedTokens).toBe(1500);
    const seen = warnings.map(
      (w) => `${w.kind} ${w.budgetId}${w.partition ? ` ${w.partition}` : ""} ${w.threshold ?? ""}`,
    );
    expect(seen).toEqual([
      "threshold run:r1:worker worker=w1 0.8",
      "threshold run:r1:worker worker=w1 1",
      "over_limit run:r1:worker ",
      "threshold run:r1 0.8",
      "over_limit run:r1 ",
      "threshold run:r1 1",
    ]);
    expect(results[2]?.warnings.map((w) => w.kind)).toEqual(["over_limit", "threshold"]);
  });

  it("refuses models outside the allow-list before reserving", async () => {
    const { manager } = setup({ allowedModels: ["test-mini"] });
    const guard = manager.createWorkerGuard("w1");
    const err = await guard.call("t1", est(10), call(10)).catch((e: unknown) => e);
    expect(isBudgetError(err, "forbidden")).toBe(true);
    expect(guard.halted).toBeNull();
    expect((await manager.getRemainingBudget()).reservedTokens).toBe(0);
  });
});
