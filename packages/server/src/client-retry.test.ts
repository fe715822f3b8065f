import { createBudgetClient } from "@budget/client";
import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { isBudgetError } from "@budget/core/basics";
import { createTestCatalog } from "@budget/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBudgetApp } from "./app/create-app.js";
import { createAuth } from "./auth/auth.js";
import { type Listening, listen } from "./node/listen.js";

const dims = { provider: "test", model: "test-model" };
const clock = createManualClock("2026-05-01T15:30:00Z");
const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog(), clock });
let server: Listening;
let throttling: Listening;
let key: string;

beforeAll(async () => {
  const auth = createAuth(createMemoryKeyStore());
  key = (await auth.createKey({ name: "writer", role: "writer" })).key;
  server = await listen(createBudgetApp({ engine, keys: auth }).fetch);
  // A proxy in front of the server that throttles: a 429 that is not problem+json.
  throttling = await listen(
    () =>
      new Response("slow down", {
        status: 429,
        headers: {
          "retry-after": "7",
          "ratelimit-policy": '"proxy";q=100;w=60',
          ratelimit: '"proxy";r=0;t=7',
        },
      }),
  );
});
afterAll(async () => {
  await server.close();
  await throttling.close();
});

describe("@budget/client: retry information", () => {
  it("a daily hard-limit denial carries retryAfterMs: the time to the window's reset", async () => {
    await engine.upsertBudget({
      id: "team",
      limits: [{ id: "daily", window: { type: "day" }, tokens: 100, enforcement: "hard_limit" }],
    });
    const budget = createBudgetClient({ url: server.url, apiKey: key });
    await budget.record({ dimensions: dims, usage: { inputTokens: 90 } });
    const r = await budget.reserve({ dimensions: dims, estimate: { inputTokens: 20 } });
    if (r.status !== "denied") throw new Error(`expected a denial, got ${r.status}`);
    const reset = Date.parse("2026-05-02T00:00:00Z");
    expect(r.denial.resetsAt).toBe(reset);
    expect(r.denial.retryAfterMs).toBe(reset - clock.now());
    expect(r.denial.retryAfterMs).toBe(8.5 * 3_600_000);
  });

  it("an error for a 429 carries retryAfterMs from Retry-After and the RateLimit fields", async () => {
    const budget = createBudgetClient({ url: throttling.url, apiKey: key });
    const err = await budget.reserve({ dimensions: dims, estimate: { inputTokens: 1 } }).catch((e) => e);
    expect(isBudgetError(err)).toBe(true);
    expect(err.details).toMatchObject({
      status: 429,
      retryAfterMs: 7000,
      rateLimit: '"proxy";r=0;t=7',
      rateLimitPolicy: '"proxy";q=100;w=60',
    });
  });
});
