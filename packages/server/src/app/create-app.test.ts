import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createAuth } from "../auth/auth.js";
import { createBudgetApp } from "./create-app.js";

async function setup(options: { bodyLimitBytes?: number } = {}) {
  const clock = createManualClock("2026-05-01T00:00:00Z");
  const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog(), clock });
  const auth = createAuth(createMemoryKeyStore());
  const keys = {
    admin: (await auth.createKey({ name: "admin", role: "admin" })).key,
    writer: (await auth.createKey({ name: "writer", role: "writer", components: ["planner"] })).key,
    reader: (await auth.createKey({ name: "reader", role: "reader" })).key,
  };
  const built = createBudgetApp({ engine, keys: auth, ...options });
  const call = (method: string, path: string, key: string | null, body?: unknown) =>
    built.app.request(path, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
    });
  return { ...built, engine, keys, call, clock };
}

const concrete = (path: string) => path.replace(/\{\w+\}/g, "x");

describe("auth on every route", () => {
  it("answers 401 problem+json without a key, or with a wrong one, on every non-public route", async () => {
    const { routes, call } = await setup();
    const guarded = routes.filter((r) => r.role !== "public");
    expect(guarded.length).toBeGreaterThan(25);
    for (const r of guarded) {
      for (const key of [null, "bgt_wrong"]) {
        const res = await call(r.method.toUpperCase(), concrete(r.path), key, r.body ? {} : undefined);
        expect([r.path, res.status]).toEqual([r.path, 401]);
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect((await res.json()).code).toBe("unauthorized");
      }
    }
  });

  it("answers 403 to a role below the route's, for every route family", async () => {
    const { routes, call, keys } = await setup();
    const families = new Set<string>();
    for (const r of routes) {
      const lower =
        r.role === "admin" ? [keys.reader, keys.writer] : r.role === "writer" ? [keys.reader] : [];
      for (const key of lower) {
        const res = await call(r.method.toUpperCase(), concrete(r.path), key, r.body ? {} : undefined);
        expect([r.method, r.path, res.status]).toEqual([r.method, r.path, 403]);
        expect((await res.json()).code).toBe("forbidden");
        families.add(r.tag);
      }
    }
    expect([...families].sort()).toEqual([
      "alerts",
      "budgets",
      "keys",
      "maintenance",
      "prices",
      "reservations",
      "runs",
      "usage",
    ]);
  });

  it("limits a writer to its components, including settling reservations", async () => {
    const { call, keys } = await setup();
    const other = await call("POST", "/v1/reservations", keys.writer, {
      dimensions: { component: "coder", model: "test-model" },
    });
    expect([other.status, (await other.json()).code]).toEqual([403, "forbidden"]);
    const none = await call("POST", "/v1/usage", keys.writer, {
      dimensions: { model: "test-model" },
      usage: {},
    });
    expect(none.status).toBe(403);
    const ok = await call("POST", "/v1/reservations", keys.writer, {
      dimensions: { component: "planner", model: "test-model" },
    });
    expect(ok.status).toBe(200);
    const adminRes = await (
      await call("POST", "/v1/reservations", keys.admin, {
        dimensions: { component: "coder", model: "test-model" },
      })
    ).json();
    const steal = await call("POST", `/v1/reservations/${adminRes.reservationId}/commit`, keys.writer, {
      usage: {},
    });
    expect(steal.status).toBe(403);
    expect((await call("GET", "/v1/status", keys.writer)).status).toBe(200);
  });

  it("lets a writer create, change and reset only a run's own budgets", async () => {
    const { call, keys } = await setup();
    const runBudget = (scope: object, tokens = 1000) => ({
      scope,
      limits: [{ id: "lifetime", window: { type: "lifetime" }, tokens }],
    });
    const put = (id: string, body: object, key = keys.writer) => call("PUT", `/v1/budgets/${id}`, key, body);
    // A run's budgets are its starter's: the writer starts the runs first.
    expect((await put("run:r1", runBudget({ run: "r1" }))).status).toBe(403);
    for (const id of ["r1", "r3", "r4"])
      expect((await call("POST", "/v1/runs", keys.writer, { id, name: id })).status).toBe(201);
    expect((await put("run:r1", runBudget({ run: "r1" }))).status).toBe(200);
    expect((await put("run:r1:worker", runBudget({ run: "r1", worker: { each: true } }))).status).toBe(200);
    expect((await put("run:r1", runBudget({ run: "r1" }, 2000))).status).toBe(200);
    expect((await call("POST", "/v1/budgets/run:r1/reset", keys.writer)).status).toBe(200);
    const refused = [
      await put("team", runBudget({ run: "r1" })), // not a run budget id
      await put("run:r1", runBudget({ run: "r2" })), // another run's scope
      await put("run:r3", runBudget({})), // no run in scope: would limit every call
      await put("run:r4", runBudget({ run: { each: true } })),
      await call("POST", "/v1/budgets", keys.writer, { id: "team", ...runBudget({}) }),
    ];
    for (const res of refused) expect([res.status, (await res.json()).code]).toEqual([403, "forbidden"]);
    // An admin's budget under a run id but scoped wider stays the admin's.
    expect((await put("run:r5", runBudget({ component: "planner" }), keys.admin)).status).toBe(200);
    expect((await put("run:r5", runBudget({ run: "r5" }))).status).toBe(403);
    expect((await call("POST", "/v1/budgets/run:r5/reset", keys.writer)).status).toBe(403);
    expect((await call("DELETE", "/v1/budgets/run:r1", keys.writer)).status).toBe(403);
  });

  it("never shows a key's hash, and shows the secret only on creation; revoked keys stop working", async () => {
    const { call, keys } = await setup();
    const created = await (await call("POST", "/v1/keys", keys.admin, { name: "ci", role: "reader" })).json();
    expect(created.key).toMatch(/^bgt_/);
    expect(created.hash).toBeUndefined();
    const list = await (await call("GET", "/v1/keys", keys.admin)).json();
    expect(JSON.stringify(list)).not.toContain(created.key);
    expect(list.items.every((k: Record<string, unknown>) => k.hash === undefined)).toBe(true);
    expect((await call("GET", "/v1/budgets", created.key)).status).toBe(200);
    expect((await call("DELETE", `/v1/keys/${created.id}`, keys.admin)).status).toBe(200);
    expect((await call("GET", "/v1/budgets", created.key)).status).toBe(401);
  });
});

describe("errors are problem+json with a stable code, never a 500 for bad input", () => {
  it("malformed JSON, invalid fields, unknown routes, oversized bodies", async () => {
    const { call, keys } = await setup({ bodyLimitBytes: 2048 });
    const bad = await call("POST", "/v1/reservations", keys.admin, "{nope");
    expect([bad.status, (await bad.json()).code]).toEqual([400, "invalid_input"]);
    const invalid = await (
      await call("POST", "/v1/usage", keys.admin, { dimensions: {}, usage: { inputTokens: -3 } })
    ).json();
    expect(invalid).toMatchObject({ status: 400, code: "invalid_input" });
    expect(invalid.errors[0].path).toBe("body.usage.inputTokens");
    const query = await (await call("GET", "/v1/usage?limit=0", keys.admin)).json();
    expect([query.status, query.errors[0].path]).toEqual([400, "query.limit"]);
    const zone = await (await call("GET", "/v1/reports?bucket=day&timezone=Mars/Olympus", keys.admin)).json();
    expect([zone.status, zone.errors[0].path]).toEqual([400, "query.timezone"]);
    const big = await call("POST", "/v1/usage", keys.admin, JSON.stringify({ pad: "x".repeat(5000) }));
    expect([big.status, (await big.json()).code]).toEqual([413, "payload_too_large"]);
    // Bodies the engine validates (reserve, commit, record) are refused exactly like the others.
    const reserve = await (
      await call("POST", "/v1/reservations", keys.admin, { dimensions: { model: 5 }, extra: 1 })
    ).json();
    expect(reserve).toMatchObject({ status: 400, code: "invalid_input" });
    expect(reserve.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "body",
      "body.dimensions.model",
    ]);
    expect(reserve.detail).toMatch(/^body/);
    const held = await (
      await call("POST", "/v1/reservations", keys.admin, { dimensions: { model: "test-model" } })
    ).json();
    const commit = await (
      await call("POST", `/v1/reservations/${held.reservationId}/commit`, keys.admin, {
        usage: { outputTokens: "x" },
      })
    ).json();
    expect([commit.status, commit.errors[0].path]).toEqual([400, "body.usage.outputTokens"]);
    const longId = await (
      await call("POST", `/v1/reservations/${"r".repeat(200)}/commit`, keys.admin, { usage: {} })
    ).json();
    expect([longId.status, longId.errors[0].path]).toEqual([400, "params.id"]);
    for (const body of [[1], "text", null, { dimensions: "planner" }]) {
      const scoped = await call("POST", "/v1/reservations", keys.writer, body === "text" ? '"text"' : body);
      expect([scoped.status, (await scoped.json()).code]).toEqual([403, "forbidden"]);
    }
    const missing = await call("GET", "/v1/nothing", keys.admin);
    expect([missing.status, (await missing.json()).code]).toEqual([404, "not_found"]);
    const unknownModel = await call("POST", "/v1/usage", keys.admin, {
      dimensions: { model: "mystery" },
      usage: {},
    });
    expect([unknownModel.status, (await unknownModel.json()).code]).toEqual([422, "unknown_model"]);
    const inactive = await call("POST", "/v1/reservations/res_x/commit", keys.admin, { usage: {} });
    expect(inactive.status).toBe(404);
  });
});

describe("OpenAPI", () => {
  it("documents every registered route (path and method) as OpenAPI 3.1", async () => {
    const { app, call } = await setup();
    const doc = await (await call("GET", "/v1/openapi.json", null)).json();
    expect(doc.openapi).toBe("3.1.0");
    const registered = app.routes
      // The dashboard's static files (`GET /*`) are not part of the API.
      .filter((r) => r.method !== "ALL" && r.path !== "/*")
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, "{$1}")}`);
    expect(registered.length).toBeGreaterThan(30);
    for (const r of registered) {
      const [method, path] = r.split(" ") as [string, string];
      expect(doc.paths[path]?.[method], r).toBeDefined();
    }
    expect(doc.paths["/v1/reservations"].post.requestBody.content["application/json"].schema).toBeDefined();
  });
});

describe("ledger routes", () => {
  it("paginates usage, streams CSV and JSON exports, and reports by dimension × day", async () => {
    const { call, keys, clock } = await setup();
    for (let i = 0; i < 5; i++) {
      await call("POST", "/v1/usage", keys.admin, {
        dimensions: { model: "test-model", component: i % 2 ? "a" : 'b,"q"' },
        usage: { inputTokens: 1000 * (i + 1) },
      });
      clock.advance(3_600_000 * 10);
    }
    const first = await (await call("GET", "/v1/usage?limit=2", keys.reader)).json();
    expect(first.items).toHaveLength(2);
    const second = await (
      await call("GET", `/v1/usage?limit=2&cursor=${first.nextCursor}`, keys.reader)
    ).json();
    expect(second.items[0].id).not.toBe(first.items[1].id);
    expect(first.items[0].costUsd).toBe("0.001000000");
    const csv = await (await call("GET", "/v1/usage/export?format=csv&component=a", keys.reader)).text();
    const lines = csv.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^time,id,kind,component,/);
    expect(lines[1]).toContain(",0.002000000,test:test-model:1,priced,");
    const quoted = await (
      await call("GET", "/v1/usage/export?format=csv&component=b%2C%22q%22", keys.reader)
    ).text();
    expect(quoted).toContain('"b,""q"""');
    const all = await (await call("GET", "/v1/usage/export?format=json", keys.reader)).json();
    expect(all.map((e: { costUsd: string }) => e.costUsd)).toEqual([
      "0.001000000",
      "0.002000000",
      "0.003000000",
      "0.004000000",
      "0.005000000",
    ]);
    const report = await (await call("GET", "/v1/reports?groupBy=component&bucket=day", keys.reader)).json();
    expect(report.items.map((r: { costUsd: string }) => r.costUsd).sort()).toEqual([
      "0.002000000",
      "0.004000000",
      "0.004000000",
      "0.005000000",
    ]);
  });

  it("lists and resolves prices, and acknowledges alerts", async () => {
    const { call, keys } = await setup();
    const prices = await (await call("GET", "/v1/prices?limit=1", keys.reader)).json();
    expect(prices.items).toHaveLength(1);
    expect(prices.nextCursor).not.toBeNull();
    const shown = await (await call("GET", "/v1/prices/show?model=test-model", keys.reader)).json();
    expect(shown.id).toBe("test:test-model:1");
    const history = await (await call("GET", "/v1/prices/history?model=test-model", keys.reader)).json();
    expect(history.items.map((v: { id: string }) => v.id)).toContain("test:test-model:1");
    expect((await call("GET", "/v1/prices/show?model=nope", keys.reader)).status).toBe(404);
    const resolved = await (await call("GET", "/v1/prices/resolve?model=test-model", keys.reader)).json();
    expect(resolved).toMatchObject({ rule: "id", version: { id: "test:test-model:1" } });
    const unknown = await call("GET", "/v1/prices/resolve?model=nope&provider=azure_ai", keys.reader);
    expect(unknown.status).toBe(200);
    expect(await unknown.json()).toMatchObject({ provider: "azure", found: null, version: null });
    expect((await call("GET", "/v1/prices/resolve", keys.reader)).status).toBe(400);
    await call("PUT", "/v1/budgets/t", keys.admin, {
      limits: [{ id: "d", window: { type: "day" }, tokens: 10, enforcement: "warn" }],
    });
    await call("POST", "/v1/usage", keys.admin, {
      dimensions: { model: "test-model" },
      usage: { inputTokens: 20 },
    });
    const alerts = await (await call("GET", "/v1/alerts?unacknowledged=true", keys.reader)).json();
    expect(alerts.items).toHaveLength(3);
    expect((await call("POST", `/v1/alerts/${alerts.items[0].id}/ack`, keys.admin)).status).toBe(200);
    const left = await (await call("GET", "/v1/alerts?unacknowledged=true", keys.reader)).json();
    expect(left.items).toHaveLength(2);
  });

  it("edits one limit of a budget and exposes Prometheus metrics", async () => {
    const { call, keys } = await setup();
    await call("PUT", "/v1/budgets/t", keys.admin, {
      limits: [{ id: "d", window: { type: "day" }, tokens: 10 }],
    });
    const b = await (
      await call("PUT", "/v1/budgets/t/limits/m", keys.admin, { window: { type: "month" }, cost: "5" })
    ).json();
    expect(b.limits.map((l: { id: string }) => l.id)).toEqual(["d", "m"]);
    const bad = await call("PUT", "/v1/budgets/t/limits/z", keys.admin, { window: { type: "month" } });
    expect(bad.status).toBe(400);
    await call("POST", "/v1/reservations", keys.admin, {
      dimensions: { model: "test-model" },
      estimate: { inputTokens: 50 },
    });
    const text = await (await call("GET", "/metrics", keys.reader)).text();
    expect(text).toContain('budget_reservations_total{decision="denied"} 1');
    expect(text).toMatch(
      /budget_http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/v1\/reservations"\}/,
    );
    expect(text).toContain(
      'budget_http_requests_total{method="PUT",route="/v1/budgets/{id}",status="200"} 1',
    );
  });
});
