import { buildRunReport, runReportToCsv } from "@budget/core";
import { describe, expect, it } from "vitest";
import { createTestEngine } from "./test-support.js";
import { createTokenBudgetManager } from "./token-budget-manager.js";

describe("run persistence and reports", () => {
  it("persists a run's start and end with per-worker and per-task totals", async () => {
    const engine = createTestEngine();
    const m = createTokenBudgetManager({
      client: engine,
      runId: "nightly-1",
      config: { totalBudgetLimit: { tokens: 10_000 }, maxTokensPerWorker: 500 },
      provider: "test",
    });
    const started = await m.startRun("nightly");
    expect(started).toMatchObject({ id: "nightly-1", status: "running", endedAt: null });
    expect(started.config).toMatchObject({
      totalBudgetLimit: { tokens: 10_000 },
      budgetEnforcementMode: "strict",
    });
    expect(await engine.getBudget("run:nightly-1")).not.toBeNull();

    const w1 = m.createWorkerGuard("w1");
    const w2 = m.createWorkerGuard("w,2");
    const use = (i: number, o: number) => async () => ({
      value: null,
      usage: { inputTokens: i, outputTokens: o },
    });
    await w1.call("t1", { model: "test-model", estimate: { inputTokens: 300 } }, use(200, 100));
    await w2.call("t2", { model: "test-mini", estimate: { inputTokens: 300 } }, use(100, 50));
    await w1.call("t3", { model: "test-model", estimate: { inputTokens: 300 } }, use(0, 0)).catch(() => {});
    const halt = w1.halted?.reason;
    expect(halt).toMatch(/worker w1 halted/);
    (engine.clock as unknown as { advance(ms: number): void }).advance(90_000);
    const finished = await m.finishRun({ status: "halted", haltReason: halt! });
    expect(finished).toMatchObject({ status: "halted", endedAt: started.startedAt + 90_000 });
    expect(finished.summary).toMatchObject({
      haltReason: halt,
      total: { tokens: 450, costUsd: "0.000420000", requests: 2, events: 2 },
      workers: [
        { workerId: "w,2", tokens: 150 },
        { workerId: "w1", tokens: 300 },
      ],
    });
    // Completed runs stay queryable, as stored JSON.
    const stored = await engine.getRun("nightly-1");
    expect(JSON.parse(JSON.stringify(stored))).toEqual(stored);
    expect((await engine.listRuns()).runs.map((r) => r.id)).toEqual(["nightly-1"]);

    const report = buildRunReport(stored!, await m.getUsageReport());
    expect(report.run).toEqual({
      id: "nightly-1",
      name: "nightly",
      status: "halted",
      startedAt: "2025-03-01T00:00:00.000Z",
      endedAt: "2025-03-01T00:01:30.000Z",
      durationMs: 90_000,
      haltReason: halt,
      config: stored!.config,
    });
    expect(report.models.map((x) => [x.model, x.costUsd])).toEqual([
      ["test-mini", "0.000020000"],
      ["test-model", "0.000400000"],
    ]);
    expect(runReportToCsv(report)).toBe(
      [
        "run_id,scope,id,tokens,cost_usd,requests,events",
        "nightly-1,run,nightly-1,450,0.000420000,2,2",
        'nightly-1,worker,"w,2",150,0.000020000,1,1',
        "nightly-1,worker,w1,300,0.000400000,1,1",
        "nightly-1,task,t1,300,0.000400000,1,1",
        "nightly-1,task,t2,150,0.000020000,1,1",
        "nightly-1,model,test-mini,150,0.000020000,1,1",
        "nightly-1,model,test-model,300,0.000400000,1,1",
        "",
      ].join("\r\n"),
    );
  });
});
