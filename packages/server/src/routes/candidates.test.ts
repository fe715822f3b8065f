import { createBudgetClient } from "@budget/client";
import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createAdviceCatalog } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";

describe("POST /v1/reservations with candidates", () => {
  it("answers the chosen model and every candidate's outcome, over HTTP and through the client", async () => {
    const engine = createBudgetEngine({
      store: createMemoryStore(),
      catalog: createAdviceCatalog(),
      clock: createManualClock("2026-07-01T00:00:00Z"),
    });
    await engine.upsertBudget({
      id: "big-cap",
      scope: { model: "big" },
      limits: [{ id: "day", window: { type: "day" }, cost: "0.01", enforcement: "hard_limit" }],
    });
    const auth = createAuth(createMemoryKeyStore());
    const writer = (await auth.createKey({ name: "w", role: "writer" })).key;
    const pinned = (await auth.createKey({ name: "p", role: "writer", dimensions: { model: "big" } })).key;
    const { app } = createBudgetApp({ engine, keys: auth });
    const reserve = (key: string, body: unknown) =>
      app.request("/v1/reservations", {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const body = { dimensions: { component: "planner" }, estimate: { inputTokens: 1000, outputTokens: 200 } };
    const res = await reserve(writer, { ...body, candidates: ["big", { model: "small", provider: "acme" }] });
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r).toMatchObject({ status: "allowed", model: "small", estimate: { costUsd: "0.001400000" } });
    expect(r.candidates.map((c: { outcome: string }) => c.outcome)).toEqual(["denied", "chosen"]);

    const client = createBudgetClient({
      url: "http://budget.test",
      apiKey: writer,
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) =>
        app.request(String(input), init)) as typeof fetch,
    });
    const denied = await client.reserve({ ...body, candidates: ["big"] });
    expect(denied.status).toBe("denied");
    expect(denied.status === "denied" && denied.candidates?.[0]).toMatchObject({
      outcome: "denied",
      budgetId: "big-cap",
    });
    expect(denied.status === "denied" && denied.denial.remaining?.costNanoUsd).toBe(10_000_000n);

    // A key fixing model=big may not route to another model.
    const refused = await reserve(pinned, { dimensions: { model: "big" }, candidates: ["big", "small"] });
    expect(refused.status).toBe(403);
    expect((await refused.json()).code).toBe("forbidden");
  });
});
