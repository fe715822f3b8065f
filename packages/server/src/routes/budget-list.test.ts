import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";

describe("GET /v1/status/budgets and the filters of GET /v1/budgets", () => {
  it("answers a filtered, sorted page with wire amounts and the counts, and refuses unknown values", async () => {
    const clock = createManualClock("2026-05-10T09:00:00Z");
    const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog(), clock });
    const auth = createAuth(createMemoryKeyStore());
    const reader = (await auth.createKey({ name: "r", role: "reader" })).key;
    const { app } = createBudgetApp({ engine, keys: auth });
    const get = (path: string) => app.request(path, { headers: { authorization: `Bearer ${reader}` } });
    const day = (tokens: number, enforcement: "warn" | "hard_limit") => [
      { id: "day", window: { type: "day" as const }, tokens, cost: "1", enforcement },
    ];
    await engine.upsertBudget({ id: "team", name: "Team", limits: day(1000, "hard_limit") });
    await engine.upsertBudget({ id: "planner", scope: { component: "planner" }, limits: day(100, "warn") });
    await engine.upsertBudget({ id: "w1", scope: { worker: "w1" }, limits: day(100, "hard_limit") });
    await engine.record({
      dimensions: { provider: "test", model: "test-model", component: "planner" },
      usage: { inputTokens: 90 },
      costUsd: "0.25",
    });

    const page = await (await get("/v1/status/budgets?limit=2")).json();
    expect(page.total).toBe(3);
    expect(page.offset).toBe(0);
    expect(page.counts).toMatchObject({ budgets: 3, limits: 3, over: 0, near: 1, within: 2 });
    expect(page.items.map((i: { budget: { id: string } }) => i.budget.id)).toEqual(["planner", "team"]);
    // Money travels as USD strings, as in every other answer.
    expect(page.items[0].limits[0].used).toMatchObject({ tokens: 90, costUsd: "0.250000000" });
    const ids = async (q: string) =>
      ((await (await get(q)).json()).items as { budget?: { id: string }; id?: string }[]).map(
        (i) => i.budget?.id ?? i.id,
      );
    expect(await ids("/v1/status/budgets?state=near")).toEqual(["planner"]);
    expect(await ids("/v1/status/budgets?dimension=worker")).toEqual(["w1"]);
    expect(await ids("/v1/status/budgets?enforcement=hard_limit&order=id")).toEqual(["team", "w1"]);
    expect(await ids("/v1/status/budgets?search=tea")).toEqual(["team"]);
    expect(await ids("/v1/status/budgets?order=name&offset=1")).toEqual(["team", "w1"]);
    // The definitions list takes the same definition filters.
    expect(await ids("/v1/budgets?dimension=component")).toEqual(["planner"]);
    expect(await ids("/v1/budgets?enforcement=hard_limit")).toEqual(["team", "w1"]);
    expect(await ids("/v1/budgets?search=W1&limit=1")).toEqual(["w1"]);
    for (const bad of ["state=warn", "dimension=colour", "order=size", "limit=0", "offset=-1"]) {
      const res = await get(`/v1/status/budgets?${bad}`);
      expect([bad, res.status, res.headers.get("content-type")]).toEqual([
        bad,
        400,
        "application/problem+json",
      ]);
    }
    expect((await get("/v1/budgets?enforcement=strict")).status).toBe(400);
  });
});
