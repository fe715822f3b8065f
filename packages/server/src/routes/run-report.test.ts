import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";

describe("GET /v1/runs/{id}/report", () => {
  it("reports a run's tokens and cost per worker, task and model, as JSON and CSV", async () => {
    const clock = createManualClock("2026-05-10T00:00:00Z");
    const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog(), clock });
    const auth = createAuth(createMemoryKeyStore());
    const reader = (await auth.createKey({ name: "r", role: "reader" })).key;
    const { app } = createBudgetApp({ engine, keys: auth });
    await engine.startRun({ id: "r1", name: "nightly", config: {} });
    const dims = { provider: "test", model: "test-model", run: "r1" };
    await engine.record({ dimensions: { ...dims, worker: "w1", task: "t1" }, usage: { inputTokens: 1000 } });
    await engine.record({ dimensions: { ...dims, worker: "w2", task: "t2" }, usage: { inputTokens: 3000 } });
    await engine.record({ dimensions: { ...dims, run: "other", worker: "w1" }, usage: { inputTokens: 99 } });
    await engine.finishRun("r1", { status: "completed", summary: {} });
    const get = (q: string) =>
      app.request(`/v1/runs/r1/report${q}`, { headers: { authorization: `Bearer ${reader}` } });

    const report = await (await get("")).json();
    expect(report.run).toMatchObject({ id: "r1", status: "completed" });
    expect(report.total).toMatchObject({ tokens: 4000, costUsd: "0.004000000" });
    expect(report.workers.map((w: { workerId: string; tokens: number }) => [w.workerId, w.tokens])).toEqual([
      ["w1", 1000],
      ["w2", 3000],
    ]);
    const csv = await get("?format=csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const lines = (await csv.text()).trim().split(/\r?\n/); // RFC 4180: CRLF
    expect(lines[0]).toBe("run_id,scope,id,tokens,cost_usd,requests,events");
    expect(lines[1]).toBe("r1,run,r1,4000,0.004000000,2,2");
    expect(
      (await app.request("/v1/runs/nope/report", { headers: { authorization: `Bearer ${reader}` } })).status,
    ).toBe(404);
  });
});
