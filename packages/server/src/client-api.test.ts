import { createBudgetApi, createBudgetClient, type LiveState } from "@budget/client";
import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBudgetApp } from "./app/create-app.js";
import { createAuth } from "./auth/auth.js";
import { type Listening, listen } from "./node/listen.js";

let server: Listening;
let key: string;
const engine = createBudgetEngine({
  store: createMemoryStore(),
  catalog: createTestCatalog(),
  clock: createManualClock("2026-05-01T00:00:00Z"),
});
beforeAll(async () => {
  const auth = createAuth(createMemoryKeyStore());
  key = (await auth.createKey({ name: "admin", role: "admin" })).key;
  server = await listen(createBudgetApp({ engine, keys: auth, sseHeartbeatMs: 50 }).fetch);
});
afterAll(() => server.close());

describe("@budget/client against a real server", () => {
  it("follows every page: listBudgets returns all of 1,001 budgets (pages of 1000)", async () => {
    const limits = [{ id: "d", window: { type: "day" as const }, tokens: 10 }];
    for (let i = 0; i < 1001; i++) await engine.upsertBudget({ id: `b${i}`, scope: {}, limits });
    const budgets = await createBudgetClient({ url: server.url, apiKey: key }).listBudgets();
    expect(budgets.length).toBe(1001);
    expect(new Set(budgets.map((b) => b.id)).size).toBe(1001);
  });

  it("follows live events with the key in a header, and stops on a wrong key", async () => {
    const api = createBudgetApi({ url: server.url, apiKey: key });
    const states: LiveState[] = [];
    const usage = new Promise<unknown>((resolve) => {
      const stop = api.events({
        types: "usage",
        onState: (s) => {
          states.push(s);
          if (s === "live")
            void api.usage.record({
              dimensions: { component: "c", model: "test-model" },
              usage: { inputTokens: 5 },
            });
        },
        onEvent: (type, data) => {
          stop();
          resolve({ type, data });
        },
      });
    });
    expect(await usage).toMatchObject({ type: "usage", data: { dimensions: { component: "c" } } });
    expect(states).toEqual(["connecting", "live"]);

    const refused = new Promise<LiveState[]>((resolve) => {
      const seen: LiveState[] = [];
      createBudgetApi({ url: server.url, apiKey: "bgt_wrong" }).events({
        onEvent: () => {},
        onState: (s) => {
          seen.push(s);
          if (s === "unauthorized") resolve(seen);
        },
      });
    });
    expect(await refused).toEqual(["connecting", "unauthorized"]);
  });
});
