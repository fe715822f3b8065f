import { createBudgetClient } from "@budget/client";
import {
  createBudgetEngine,
  createManualClock,
  createMemoryStore,
  type ModelRecommendationRequest,
} from "@budget/core";
import { createAdviceCatalog } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createMemoryKeyStore } from "../auth/api-keys.js";
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
