import { createMemoryStore } from "@budget/core";
import { describe, expect, it } from "vitest";
import type { RunConfigInput } from "./config.js";
import { createTestEngine } from "./test-support.js";
import { createTokenBudgetManager } from "./token-budget-manager.js";

const config = {
  maxTokensPerTask: 400,
  maxTokensPerWorker: 1000,
  totalBudgetLimit: { tokens: 1500, costUsd: "0.01" },
  budgetWarningThreshold: 0.75,
};

function manager(engine = createTestEngine(), extra: Partial<RunConfigInput> = {}) {
  return createTokenBudgetManager({
    client: engine,
    runId: "r1",
    config: { ...config, ...extra },
    provider: "test",
  });
}

describe("TokenBudgetManager", () => {
  it("maps the run onto run, worker and task budgets", async () => {
    const engine = createTestEngine();
    await manager(engine).ensureBudgets();
    const budgets = await engine.listBudgets();
    const byId = Object.fromEntries(budgets.map((b) => [b.id, b]));
    expect(Object.keys(byId).sort()).toEqual(["run:r1", "run:r1:task", "run:r1:worker"]);
    expect(byId["run:r1"]).toMatchObject({
      scope: { run: "r1" },
      limits: [
        {
          id: "lifetime",
          window: { type: "lifetime" },
          tokens: 1500,
          cost: "0.01",
          enforcement: "hard_limit",
          thresholds: [0.75, 1],
        },
      ],
    });
    expect(byId["run:r1:worker"]).toMatchObject({
      scope: { run: "r1", worker: { each: true } },
      limits: [{ tokens: 1000, enforcement: "hard_limit" }],
    });
    expect(byId["run:r1:task"]).toMatchObject({
      scope: { run: "r1", task: { each: true } },
      limits: [{ tokens: 400 }],
    });
    const soft = createTestEngine();
    await manager(soft, { budgetEnforcementMode: "soft" }).ensureBudgets();
    expect((await soft.getBudget("run:r1"))?.limits[0]?.enforcement).toBe("warn");
  });

  it("records usage and reports remaining budget, per worker and per task", async () => {
    const m = manager();
    const rec = await m.recordUsage(
      "t1",
      "test-model",
      { inputTokens: 100, outputTokens: 50 },
      { workerId: "w1" },
    );
    expect(rec).toMatchObject({ tokens: 150, costUsd: "0.000200000", warnings: [] });
    await m.recordUsage("t2", "test-model", { inputTokens: 200, outputTokens: 0 }, { workerId: "w2" });
    await m.recordUsage("t2", "test-model", { inputTokens: 10, outputTokens: 0 });
    const left = await m.getRemainingBudget();
    expect(left).toMatchObject({ tokens: 1140, costUsd: "0.009590000", usedTokens: 360, percentUsed: 24 });
    expect(left.workers.w1).toMatchObject({ usedTokens: 150, remainingTokens: 850 });
    expect(left.workers.w2).toMatchObject({ usedTokens: 200, remainingTokens: 800 });
    expect(left.tasks.t2).toMatchObject({ usedTokens: 210, remainingTokens: 190 });

    const report = await m.getUsageReport();
    expect(report.total).toEqual({ tokens: 360, costUsd: "0.000410000", requests: 3, events: 3 });
    expect(report.workers).toEqual([
      { workerId: "(none)", tokens: 10, costUsd: "0.000010000", requests: 1, events: 1 },
      { workerId: "w1", tokens: 150, costUsd: "0.000200000", requests: 1, events: 1 },
      { workerId: "w2", tokens: 200, costUsd: "0.000200000", requests: 1, events: 1 },
    ]);
    expect(report.tasks.map((t) => [t.taskId, t.tokens])).toEqual([
      ["t1", 150],
      ["t2", 210],
    ]);
    expect(report.models).toEqual([
      { model: "test-model", tokens: 360, costUsd: "0.000410000", requests: 3, events: 3 },
    ]);
  });

  it("warns when a threshold is crossed", async () => {
    const seen: string[] = [];
    const m = createTokenBudgetManager({
      client: createTestEngine(),
      runId: "r1",
      config,
      provider: "test",
      onWarning: (w) => seen.push(`${w.budgetId} ${w.threshold}`),
    });
    const rec = await m.recordUsage("t1", "test-model", { inputTokens: 380 }, { workerId: "w1" });
    expect(seen).toEqual(["run:r1:task 0.75"]);
    expect(rec.warnings[0]).toMatchObject({ kind: "threshold", partition: "task=t1", taskId: "t1" });
  });

  it("answers whether an estimate fits, naming the limit that blocks, without holding", async () => {
    const m = manager();
    await m.recordUsage("t1", "test-model", { inputTokens: 300 }, { workerId: "w1" });
    expect(await m.checkBudgetAvailable("t1", 100, { workerId: "w1" })).toMatchObject({
      available: true,
      blockedBy: null,
      remainingTokens: 100,
    });
    const task = await m.checkBudgetAvailable("t1", 101, { workerId: "w1" });
    expect(task).toMatchObject({ available: false, mode: "strict" });
    expect(task.blockedBy).toMatchObject({ scope: "task", budgetId: "run:r1:task", partition: "task=t1" });
    await m.recordUsage("t2", "test-model", { inputTokens: 400 }, { workerId: "w1" });
    await m.recordUsage("t3", "test-model", { inputTokens: 300 }, { workerId: "w1" });
    const worker = await m.checkBudgetAvailable("t4", 1, { workerId: "w1" });
    expect(worker.blockedBy).toMatchObject({ scope: "worker", partition: "worker=w1", remainingTokens: 0 });
    await m.recordUsage("t4", "test-model", { inputTokens: 400 }, { workerId: "w2" });
    const run = await m.checkBudgetAvailable("t5", 150, { workerId: "w2" });
    expect(run.blockedBy).toMatchObject({ scope: "run", budgetId: "run:r1", remainingTokens: 100 });
    expect(run.blockedBy?.message).toMatch(/150 tokens estimated, 100 of 1500 left/);
    // Nothing was held by the checks.
    expect((await m.getRemainingBudget()).reservedTokens).toBe(0);
  });

  it("checks a USD run limit when given a model, and the model allow-list", async () => {
    const m = manager(createTestEngine(), { allowedModels: ["test-model"] });
    // 4000 output tokens = $0.008, 6000 = $0.012 > $0.01 (the token limits say nothing: no worker given).
    const cheap = await m.checkBudgetAvailable("tx", 4000, { model: "test-model" });
    expect(cheap.exceeded.map((e) => e.scope)).toEqual(["run", "task"]);
    const dear = await m.checkBudgetAvailable("tx", 6000, { model: "test-model" });
    expect(dear.exceeded.at(-1)?.message).toMatch(/\$0\.012000000 estimated/);
    const other = await m.checkBudgetAvailable("tx", 1, { model: "test-mini" });
    expect(other).toMatchObject({ available: false, blockedBy: { scope: "model" } });
  });

  it("in soft mode reports what would be exceeded but stays available", async () => {
    const m = manager(createTestEngine(), { budgetEnforcementMode: "soft" });
    const check = await m.checkBudgetAvailable("t1", 401);
    expect(check).toMatchObject({ available: true, mode: "soft", blockedBy: { scope: "task" } });
  });

  it("holds limits across two engine instances sharing one store", async () => {
    const store = createMemoryStore();
    const a = manager(createTestEngine(store));
    const b = manager(createTestEngine(store));
    await a.ensureBudgets();
    const guardA = a.createWorkerGuard("w1");
    const guardB = b.createWorkerGuard("w1");
    const usage = (n: number) => async () => ({ value: n, usage: { inputTokens: n } });
    await guardA.call("t1", { model: "test-model", estimate: { inputTokens: 400 } }, usage(400));
    await guardB.call("t2", { model: "test-model", estimate: { inputTokens: 400 } }, usage(400));
    // w1 has 200 left across both processes: a 300-token call is denied on either.
    await expect(
      guardA.call("t3", { model: "test-model", estimate: { inputTokens: 300 } }, usage(300)),
    ).rejects.toMatchObject({
      name: "BudgetExceededError",
      budgetId: "run:r1:worker",
      remaining: { tokens: 200 },
    });
    expect((await b.getRemainingBudget()).workers.w1?.remainingTokens).toBe(200);
    expect((await a.getUsageReport()).total.tokens).toBe(800);
  });

  it("resets the run's counting, keeping the ledger", async () => {
    const engine = createTestEngine();
    const m = manager(engine);
    await m.recordUsage("t1", "test-model", { inputTokens: 300 }, { workerId: "w1" });
    (engine.clock as unknown as { advance(ms: number): void }).advance(1000);
    await m.resetBudget();
    const left = await m.getRemainingBudget();
    expect(left).toMatchObject({ tokens: 1500, usedTokens: 0, workers: {}, tasks: {} });
    expect((await m.getUsageReport()).total.tokens).toBe(0);
    expect((await engine.report({ dimensions: { run: "r1" } }))[0]?.tokens).toBe(300);
  });
});

describe("TokenBudgetManager planning and progress", () => {
  it("plans against what is left now, per worker", async () => {
    const m = manager();
    await m.recordUsage("t0", "test-model", { inputTokens: 900 }, { workerId: "w1" });
    const plan = await m.planAssignment(
      [
        { id: "a", estimatedTokens: 300, priority: 1 },
        { id: "b", estimatedTokens: 450 },
        { id: "c", estimatedTokens: 200 },
        { id: "d", estimatedTokens: 150 },
      ],
      ["w1", "w2"],
    );
    // Run: 600 left. w1: 100 left, w2: 1000. Task limit 400 rules out b.
    expect(plan.assignments.map((a) => [a.task.id, a.workerId])).toEqual([
      ["a", "w2"],
      ["c", "w2"],
    ]);
    expect(plan.skipped.map((s) => s.task.id)).toEqual(["b", "d"]);
    expect(plan.remainingTokens).toBe(100);
  });

  it("carries the run budget in progress updates", async () => {
    const m = manager();
    await m.recordUsage("t1", "test-model", { inputTokens: 300 }, { workerId: "w1" });
    expect(await m.progress(1, 4)).toEqual({
      completed: 1,
      total: 4,
      budget: {
        usedTokens: 300,
        remainingTokens: 1200,
        percentUsed: 20,
        costUsd: "0.000300000",
        projectedTotalTokens: 1200,
        projectedCostUsd: "0.001200000",
        projectedOverLimit: false,
      },
    });
  });
});
