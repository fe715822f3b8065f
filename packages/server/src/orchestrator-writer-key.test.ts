import { createBudgetClient } from "@budget/client";
import { createBudgetEngine, createManualClock, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { createTokenBudgetManager } from "@budget/integrations/orchestrator";
import { afterAll, describe, expect, it } from "vitest";
import { createBudgetApp } from "./app/create-app.js";
import { createMemoryKeyStore } from "./auth/api-keys.js";
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
