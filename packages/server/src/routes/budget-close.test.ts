import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";

describe("POST /v1/budgets/{id}/close and /reopen", () => {
  it("closes a budget (status hides it unless asked), reopens it, and refuses other writers' budgets", async () => {
    const clock = createManualClock("2026-05-10T00:00:00Z");
    const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog(), clock });
    const auth = createAuth(createMemoryKeyStore());
    const writer = (await auth.createKey({ name: "w", role: "writer" })).key;
    const { app } = createBudgetApp({ engine, keys: auth });
    const call = (method: string, path: string, body?: object) =>
      app.request(path, {
        method,
        headers: { authorization: `Bearer ${writer}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    // A run's budgets are its starter's: this writer starts r1.
    expect((await call("POST", "/v1/runs", { id: "r1", name: "r1" })).status).toBe(201);
    await engine.upsertBudget({
      id: "run:r1",
      scope: { run: "r1" },
      limits: [{ id: "l", window: { type: "lifetime" }, tokens: 10 }],
    });
    await engine.upsertBudget({ id: "team", limits: [{ id: "l", window: { type: "day" }, tokens: 10 }] });

    const closed = await call("POST", "/v1/budgets/run:r1/close");
    expect(closed.status).toBe(200);
    expect((await closed.json()).activeUntil).toBe(clock.now());
    const ids = async (q: string) =>
      ((await (await call("GET", `/v1/status${q}`)).json()).items as { budgetId: string }[]).map(
        (s) => s.budgetId,
      );
    expect(await ids("")).toEqual(["team"]);
    expect(await ids("?includeClosed=true")).toEqual(["run:r1", "team"]);

    const reopened = await call("POST", "/v1/budgets/run:r1/reopen");
    expect(reopened.status).toBe(200);
    expect((await reopened.json()).activeUntil).toBeUndefined();
    expect(await ids("")).toEqual(["run:r1", "team"]);

    expect((await call("POST", "/v1/budgets/team/close")).status).toBe(403);
    expect((await call("POST", "/v1/budgets/run:nope/close")).status).toBe(403); // not its run
    expect((await call("GET", "/v1/status?includeClosed=maybe")).status).toBe(400);
  });
});
