import { createBudgetClient, MAX_BATCH_OPERATIONS } from "@budget/client";
import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";

const dims = (component: string) => ({ component, provider: "test", model: "test-model" });

async function setup() {
  const clock = createManualClock("2026-05-01T00:00:00Z");
  const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog(), clock });
  await engine.upsertBudget({
    id: "hard",
    scope: { component: "a" },
    limits: [{ id: "l", window: { type: "lifetime" }, tokens: 1000, enforcement: "hard_limit" }],
  });
  const auth = createAuth(createMemoryKeyStore());
  const admin = (await auth.createKey({ name: "admin", role: "admin" })).key;
  const writerA = (await auth.createKey({ name: "a", role: "writer", components: ["a"] })).key;
  const { app } = createBudgetApp({ engine, keys: auth });
  const post = async (key: string, body: unknown) => {
    const res = await app.request("/v1/batch", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const client = (key: string) =>
    createBudgetClient({
      url: "http://budget.test",
      apiKey: key,
      fetch: (input, init) => Promise.resolve(app.fetch(new Request(input, init))),
    });
  return { engine, admin, writerA, post, client };
}

describe("POST /v1/batch", () => {
  it("answers each operation as its own route would, in order, a bad one failing alone", async () => {
    const { engine, admin, post } = await setup();
    const r1 = await engine.reserve({ dimensions: dims("a"), estimate: { inputTokens: 100 } });
    const r2 = await engine.reserve({ dimensions: dims("a"), estimate: { inputTokens: 100 } });
    if (r1.status !== "allowed" || r2.status !== "allowed") throw new Error("setup reserve denied");
    const res = await post(admin, {
      operations: [
        { op: "reserve", request: { dimensions: dims("a"), estimate: { inputTokens: 300 } } },
        { op: "reserve", request: { dimensions: dims("a"), estimate: { inputTokens: 900 } } },
        { op: "commit", request: { reservationId: r1.reservationId, usage: { inputTokens: 80 } } },
        { op: "release", reservationId: r2.reservationId },
        { op: "record", request: { dimensions: dims("b"), usage: { inputTokens: 5 }, idempotencyKey: "k1" } },
        { op: "reserve", request: { dimensions: dims("a"), estimate: { inputTokens: -1 } } },
        { op: "commit", request: { reservationId: "res_missing", usage: { inputTokens: 1 } } },
      ],
    });
    expect(res.status).toBe(200);
    const results = res.body.results as { status: number; body: Record<string, unknown> }[];
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 201, 400, 404]);
    expect(results[0]?.body.status).toBe("allowed");
    // 100 committed as 80, 300 held: 900 more does not fit under 1000 tokens.
    expect(results[1]?.body.status).toBe("denied");
    expect((results[2]?.body.event as { reservationId?: string } | undefined)?.reservationId).toBe(
      r1.reservationId,
    );
    expect(results[3]?.body.status).toBe("released");
    expect(results[4]?.body.status).toBe("committed");
    expect(results[5]?.body.code).toBe("invalid_input");
    const errors = results[5]?.body.errors as { path: string }[];
    expect(errors[0]?.path).toBe("body.operations.5.request.estimate.inputTokens");
    expect(results[6]?.body.code).toBe("not_found");
    const [status] = await engine.status({ budgetId: "hard" });
    expect([status?.used.tokens, status?.reserved.tokens]).toEqual([80, 300]);
  });

  it("refuses a bad envelope as a whole with 400, changing nothing", async () => {
    const { engine, admin, post } = await setup();
    const reserve = { op: "reserve", request: { dimensions: dims("a"), estimate: { inputTokens: 1 } } };
    const tooMany = Array.from({ length: MAX_BATCH_OPERATIONS + 1 }, () => reserve);
    for (const body of [
      { operations: [] },
      { operations: tooMany },
      { operations: [reserve, { op: "transfer", request: {} }] },
      { operations: [reserve], extra: 1 },
      { operations: [reserve, { op: "release" }] },
    ]) {
      const res = await post(admin, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("invalid_input");
      expect(String((res.body.errors as { path: string }[])[0]?.path)).toMatch(/^body/);
    }
    const [status] = await engine.status({ budgetId: "hard" });
    expect([status?.used.tokens, status?.reserved.tokens]).toEqual([0, 0]);
  });

  it("holds a restricted writer to its own components, per operation", async () => {
    const { engine, writerA, post } = await setup();
    const other = await engine.reserve({ dimensions: dims("b"), estimate: { inputTokens: 1 } });
    if (other.status !== "allowed") throw new Error("setup reserve denied");
    const res = await post(writerA, {
      operations: [
        { op: "reserve", request: { dimensions: dims("a"), estimate: { inputTokens: 1 } } },
        { op: "reserve", request: { dimensions: dims("b"), estimate: { inputTokens: 1 } } },
        { op: "release", reservationId: other.reservationId },
        { op: "record", request: { dimensions: dims("b"), usage: { inputTokens: 1 } } },
      ],
    });
    const results = res.body.results as { status: number; body: { code?: string } }[];
    expect(results.map((r) => r.status)).toEqual([200, 403, 403, 403]);
    expect((await engine.store.getReservation(other.reservationId))?.status).toBe("active");
  });

  it("is spoken by the client: typed results, failures as BudgetErrors", async () => {
    const { admin, client } = await setup();
    const budget = client(admin);
    const [reserved, bad] = await budget.batch([
      { op: "reserve", request: { dimensions: dims("a"), estimate: { inputTokens: 10 } } },
      { op: "release", reservationId: "res_missing" },
    ]);
    if (!reserved?.ok || reserved.op !== "reserve" || reserved.result.status !== "allowed")
      throw new Error(`reserve failed: ${JSON.stringify(reserved)}`);
    expect(reserved.result.estimate.costNanoUsd).toBe(10_000n);
    expect(bad?.ok === false && bad.error.code).toBe("not_found");
    const [committed] = await budget.batch([
      { op: "commit", request: { reservationId: reserved.result.reservationId, usage: { inputTokens: 7 } } },
    ]);
    expect(committed?.ok && committed.op === "commit" && committed.result.event.costNanoUsd).toBe(7000n);
  });
});
