import {
  createBudgetEngine,
  createManualClock,
  createMemoryKeyStore,
  createMemoryStore,
  createSequentialIds,
} from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";

const dims = { provider: "test", model: "test-model" };

async function setup() {
  const clock = createManualClock("2026-05-01T12:00:00Z");
  const engine = createBudgetEngine({
    store: createMemoryStore(),
    catalog: createTestCatalog(),
    clock,
    ids: createSequentialIds(),
  });
  const auth = createAuth(createMemoryKeyStore());
  const { key } = await auth.createKey({ name: "writer", role: "writer" });
  const { app } = createBudgetApp({ engine, keys: auth });
  const reserve = (body: unknown) =>
    app.request("/v1/reservations", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
  return { engine, reserve };
}

describe("POST /v1/reservations: a denial carries Retry-After and the IETF RateLimit fields", () => {
  it("names the blocking limit's quota, window, what remains and when to retry", async () => {
    const { engine, reserve } = await setup();
    await engine.upsertBudget({
      id: "team",
      limits: [{ id: "daily", window: { type: "day" }, tokens: 100, cost: "1" }],
    });
    await engine.record({ dimensions: dims, usage: { inputTokens: 90 } });
    const res = await reserve({ dimensions: dims, estimate: { inputTokens: 20 } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; denial: { retryAfterMs: number } };
    expect(body.status).toBe("denied");
    expect(body.denial.retryAfterMs).toBe(12 * 3_600_000);
    expect(res.headers.get("retry-after")).toBe(String(12 * 3600));
    expect(res.headers.get("ratelimit-policy")).toBe(
      '"team/daily/tokens";q=100;qu="tokens";w=86400, "team/daily/cost";q=1000000000;qu="nano-usd";w=86400',
    );
    expect(res.headers.get("ratelimit")).toBe(
      '"team/daily/tokens";r=10;t=43200, "team/daily/cost";r=999910000;t=43200',
    );
  });

  it("omits Retry-After when waiting cannot help (a lifetime window), and on an allowed answer", async () => {
    const { engine, reserve } = await setup();
    await engine.upsertBudget({
      id: "run",
      limits: [{ id: "all", window: { type: "lifetime" }, tokens: 100 }],
    });
    const ok = await reserve({ dimensions: dims, estimate: { inputTokens: 20 } });
    expect(ok.headers.get("ratelimit")).toBeNull();
    const res = await reserve({ dimensions: dims, estimate: { inputTokens: 90 } });
    expect(((await res.json()) as { status: string }).status).toBe("denied");
    expect(res.headers.get("retry-after")).toBeNull();
    expect(res.headers.get("ratelimit-policy")).toBe('"run/all/tokens";q=100;qu="tokens"');
    expect(res.headers.get("ratelimit")).toBe('"run/all/tokens";r=80');
  });
});
