import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";

const perUser = (overrides: unknown[]) => ({
  id: "users",
  scope: { user: { each: true } },
  limits: [{ id: "daily", window: { type: "day" }, cost: "10" }],
  overrides,
});

describe("budget overrides over HTTP", () => {
  it("stores an override with the budget; one for a dimension not partitioned is a 400 naming it, nothing stored", async () => {
    const engine = createBudgetEngine({
      store: createMemoryStore(),
      catalog: createTestCatalog(),
      clock: createManualClock("2026-05-01T00:00:00Z"),
    });
    const auth = createAuth(createMemoryKeyStore());
    const { key } = await auth.createKey({ name: "admin", role: "admin" });
    const { app } = createBudgetApp({ engine, keys: auth });
    const post = (body: unknown) =>
      app.request("/v1/budgets", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      });
    const bad = await post(perUser([{ match: { project: "p1" }, limits: { daily: { cost: "1" } } }]));
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe("invalid_input");
    expect(problem.errors.map((e) => e.path)).toContain("body.overrides.0.match.project");
    expect(await engine.getBudget("users")).toBeNull();
    const ok = await post(perUser([{ match: { user: "alice" }, limits: { daily: { cost: "50" } } }]));
    expect(ok.status).toBe(201);
    expect((await engine.getBudget("users"))?.overrides).toEqual([
      { match: { user: "alice" }, limits: { daily: { cost: "50" } } },
    ]);
  });
});
