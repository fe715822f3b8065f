import { createBudgetClient } from "@budget/client";
import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { createTokenBudgetManager } from "@budget/integrations/orchestrator";
import { afterAll, describe, expect, it } from "vitest";
import { createBudgetApp } from "./app/create-app.js";
import { createAuth } from "./auth/auth.js";
import { type Listening, listen } from "./node/listen.js";

const servers: Listening[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe("an orchestrator against a server with a writer key", () => {
  it("creates its run's budgets, records, resets and finishes without an admin key", async () => {
    const engine = createBudgetEngine({
      store: createMemoryStore(),
      catalog: createTestCatalog(),
      clock: createManualClock("2026-05-01T00:00:00Z"),
    });
    const auth = createAuth(createMemoryKeyStore());
    const { key } = await auth.createKey({
      name: "orchestrator",
      role: "writer",
      components: ["orchestrator"],
    });
    const server = await listen(createBudgetApp({ engine, keys: auth }).fetch);
    servers.push(server);
    const manager = createTokenBudgetManager({
      client: createBudgetClient({ url: server.url, apiKey: key }),
      runId: "nightly-7",
      config: { totalBudgetLimit: { tokens: 1000 }, maxTokensPerWorker: 600, maxTokensPerTask: 400 },
      provider: "test",
    });
    await manager.startRun("nightly");
    await manager.recordUsage("t1", "test-model", { inputTokens: 300 }, { workerId: "w1" });
    expect((await manager.getRemainingBudget()).tokens).toBe(700);
    await manager.resetBudget();
    expect((await manager.getRemainingBudget()).tokens).toBe(1000);
    expect((await manager.finishRun({ status: "completed" })).status).toBe("completed");
    expect((await engine.listBudgets()).map((b) => b.id).sort()).toEqual([
      "run:nightly-7",
      "run:nightly-7:task",
      "run:nightly-7:worker",
    ]);
  });
});

describe("a run's budgets belong to the key that started it", () => {
  it("lets only the starting writer (or an admin) change, reset or finish a run, with two writers", async () => {
    const engine = createBudgetEngine({
      store: createMemoryStore(),
      catalog: createTestCatalog(),
      clock: createManualClock("2026-05-01T00:00:00Z"),
    });
    const auth = createAuth(createMemoryKeyStore());
    const a = (await auth.createKey({ name: "a", role: "writer", components: ["a"] })).key;
    const b = (await auth.createKey({ name: "b", role: "writer", components: ["b"] })).key;
    const admin = (await auth.createKey({ name: "admin", role: "admin" })).key;
    const { app } = createBudgetApp({ engine, keys: auth });
    const call = async (key: string, method: string, path: string, body?: unknown) => {
      const res = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return res.status;
    };
    const budget = (run: string, tokens: number, enabled = true) => ({
      scope: { run },
      limits: [{ id: "total", window: { type: "lifetime" }, tokens }],
      enabled,
    });

    // A writer may not create a run's budgets before starting the run.
    expect(await call(a, "PUT", "/v1/budgets/run:r1", budget("r1", 100))).toBe(403);
    expect(await call(a, "POST", "/v1/runs", { id: "r1", name: "A's run" })).toBe(201);
    expect((await engine.getRun("r1"))?.startedBy?.keyId).toMatch(/^key_/);
    expect(await call(a, "PUT", "/v1/budgets/run:r1", budget("r1", 100))).toBe(200);
    expect(await call(a, "PUT", "/v1/budgets/run:r1:worker", budget("r1", 50))).toBe(200);

    // The other writer can neither raise, disable, reset, restart nor finish it.
    const before = await engine.getBudget("run:r1");
    expect(await call(b, "PUT", "/v1/budgets/run:r1", budget("r1", 1_000_000))).toBe(403);
    expect(await call(b, "PUT", "/v1/budgets/run:r1", budget("r1", 100, false))).toBe(403);
    expect(await call(b, "POST", "/v1/budgets", { id: "run:r1", ...budget("r1", 1_000_000) })).toBe(403);
    expect(await call(b, "POST", "/v1/budgets/run:r1/reset")).toBe(403);
    expect(await call(b, "POST", "/v1/runs", { id: "r1", name: "taken over" })).toBe(403);
    expect(await call(b, "POST", "/v1/runs/r1/finish", { status: "failed" })).toBe(403);
    expect(await engine.getBudget("run:r1")).toEqual(before);
    expect((await engine.getRun("r1"))?.status).toBe("running");

    // An admin's run is the admin's: no writer manages it.
    expect(await call(admin, "POST", "/v1/runs", { id: "r2", name: "admin's run" })).toBe(201);
    expect(await call(admin, "PUT", "/v1/budgets/run:r2", budget("r2", 10))).toBe(200);
    for (const w of [a, b]) {
      expect(await call(w, "PUT", "/v1/budgets/run:r2", budget("r2", 1_000_000))).toBe(403);
      expect(await call(w, "POST", "/v1/budgets/run:r2/reset")).toBe(403);
      expect(await call(w, "POST", "/v1/runs/r2/finish", { status: "completed" })).toBe(403);
    }

    // The starter, and an admin, still may.
    expect(await call(a, "POST", "/v1/runs", { id: "r1", name: "A resuming" })).toBe(201);
    expect(await call(a, "POST", "/v1/budgets/run:r1/reset")).toBe(200);
    expect(await call(admin, "PUT", "/v1/budgets/run:r1", budget("r1", 200))).toBe(200);
    expect(await call(a, "POST", "/v1/runs/r1/finish", { status: "completed" })).toBe(200);
    expect(await call(admin, "POST", "/v1/runs/r2/finish", { status: "completed" })).toBe(200);
  });
});
