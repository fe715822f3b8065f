import { createBudgetClient } from "@budget/client";
import {
  createBudgetEngine,
  createManualClock,
  createMemoryKeyStore,
  createMemoryStore,
  type ModelRecommendationRequest,
} from "@budget/core";
import { createAdviceCatalog } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";

async function setUp() {
  const clock = createManualClock("2026-07-01T00:00:00Z");
  const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createAdviceCatalog(), clock });
  const auth = createAuth(createMemoryKeyStore());
  const reader = (await auth.createKey({ name: "r", role: "reader" })).key;
  const { app } = createBudgetApp({ engine, keys: auth });
  const post = (body: unknown) =>
    app.request("/v1/recommendations/model", {
      method: "POST",
      headers: { authorization: `Bearer ${reader}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  return { engine, app, reader, post };
}

describe("POST /v1/recommendations/model", () => {
  it("answers what the engine answers, money as USD strings", async () => {
    const { engine, post } = await setUp();
    const body: ModelRecommendationRequest = {
      current: { model: "big" },
      usage: { inputTokens: 1000, outputTokens: 200 },
      requires: { capabilities: ["tools"] },
    };
    const res = await post(body);
    expect(res.status).toBe(200);
    const got = await res.json();
    expect(got).toEqual(JSON.parse(JSON.stringify(await engine.recommendModels(body))));
    // big: 1000×10 + 200×30 → 16,000,000 nano; small: 1000×1 + 200×2 → 1,400,000 nano.
    expect(got.ranked[0]).toMatchObject({ model: "small", costUsd: "0.001400000", savingUsd: "0.014600000" });
  });

  it("refuses invalid requests with a problem and a stable code", async () => {
    const { post } = await setUp();
    for (const body of [
      {},
      { usage: {}, requires: { capabilities: ["telepathy"] } },
      { usage: {}, limit: 0 },
    ]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect((await res.json()).code).toBe("invalid_input");
    }
  });

  it("the HTTP client returns the same recommendation", async () => {
    const { app, reader, engine } = await setUp();
    const client = createBudgetClient({
      url: "http://budget.test",
      apiKey: reader,
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) =>
        app.request(String(input), init)) as typeof fetch,
    });
    const req = { usage: { inputTokens: 10 }, limit: 2 };
    expect(await client.recommendModels(req)).toEqual(
      JSON.parse(JSON.stringify(await engine.recommendModels(req))),
    );
  });
});

describe("GET /v1/recommendations", () => {
  it("gives the engine's advice, and each cited report query reproduces the figures", async () => {
    const { engine, app, reader } = await setUp();
    const clock = engine.clock as ReturnType<typeof createManualClock>;
    const dims = { component: "planner", taskType: "plan", provider: "acme", model: "big" };
    for (let i = 0; i < 4; i++)
      await engine.record({
        dimensions: dims,
        usage: { inputTokens: 1000, outputTokens: 200 },
        time: clock.now() - (i + 1) * 3_600_000,
      });
    await engine.record({
      dimensions: { ...dims, component: "other" },
      usage: { inputTokens: 10 },
      time: clock.now() - 1000,
    });
    const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${reader}` } });
    const res = await get("/v1/recommendations?minSharePct=1");
    expect(res.status).toBe(200);
    const advice = await res.json();
    expect(advice).toEqual(JSON.parse(JSON.stringify(await engine.advise({ minSharePct: 1 }))));
    const item = advice.items.find((i: { kind: string }) => i.kind === "cheaper_model");
    expect(item.alternatives[0]).toMatchObject({ model: "small", savingUsd: "0.058400000" }); // 4 × (0.016 − 0.0014)
    const [reportQuery] = item.queries;
    const report = await (await get(reportQuery.http.replace(/^GET /, ""))).json();
    const row = report.items.find(
      (r: { group: Record<string, string | null> }) => JSON.stringify(r.group) === JSON.stringify(item.scope),
    );
    expect(row.costUsd).toBe(item.figures.costUsd);
    const total = report.items.reduce(
      (s: bigint, r: { costUsd: string }) => s + BigInt(r.costUsd.replace(".", "")),
      0n,
    );
    expect(`${total}`).toBe(advice.totalCostUsd.replace(".", "").replace(/^0+/, ""));
    expect(item.figures.sharePct).toBe(
      Number((BigInt(row.costUsd.replace(".", "")) * 10_000n) / total) / 100,
    );
  });

  it("refuses a bad range or share", async () => {
    const { app, reader } = await setUp();
    for (const q of ["from=yesterday", "minSharePct=200", "alternatives=0"]) {
      const res = await app.request(`/v1/recommendations?${q}`, {
        headers: { authorization: `Bearer ${reader}` },
      });
      expect(res.status).toBe(400);
      expect((await res.json()).code).toBe("invalid_input");
    }
  });
});
