import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";

describe("GET /v1/usage order", () => {
  it("lists oldest first by default and newest first with order=desc, paging alike; a bad order is 400", async () => {
    const clock = createManualClock("2026-05-01T00:00:00Z");
    const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog(), clock });
    const auth = createAuth(createMemoryKeyStore());
    const { key } = await auth.createKey({ name: "reader", role: "reader" });
    const { app } = createBudgetApp({ engine, keys: auth });
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await engine.record({
        dimensions: { provider: "test", model: "test-model" },
        usage: { inputTokens: 1 },
        idempotencyKey: `k${i}`,
      });
    }
    const get = async (q: string) => {
      const res = await app.request(`/v1/usage?${q}`, { headers: { authorization: `Bearer ${key}` } });
      return {
        status: res.status,
        body: (await res.json()) as { items: { idempotencyKey: string }[]; nextCursor: string | null },
      };
    };
    const keys = (b: { items: { idempotencyKey: string }[] }) => b.items.map((e) => e.idempotencyKey);
    expect(keys((await get("")).body)).toEqual(["k0", "k1", "k2", "k3", "k4"]);
    const first = await get("order=desc&limit=3");
    expect(keys(first.body)).toEqual(["k4", "k3", "k2"]);
    const next = await get(`order=desc&limit=3&cursor=${first.body.nextCursor}`);
    expect([keys(next.body), next.body.nextCursor]).toEqual([["k1", "k0"], null]);
    expect((await get("order=newest")).status).toBe(400);
  });
});
