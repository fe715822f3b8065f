import { Writable } from "node:stream";
import {
  createBudgetEngine,
  createManualClock,
  createMemoryKeyStore,
  createMemoryStore,
  type Store,
} from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { createAuth } from "../auth/auth.js";
import { createBudgetApp } from "./create-app.js";

/** A store whose every ledger write fails like a driver bug would. */
function brokenStore(): Store {
  const store = createMemoryStore();
  return {
    ...store,
    commit: async () => {
      throw new TypeError("driver exploded");
    },
  };
}

async function setup() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  const logger = pino({ level: "info" }, sink);
  const engine = createBudgetEngine({
    store: brokenStore(),
    catalog: createTestCatalog(),
    clock: createManualClock("2026-05-01T00:00:00Z"),
  });
  const auth = createAuth(createMemoryKeyStore());
  const { key } = await auth.createKey({ name: "w", role: "writer" });
  const app = createBudgetApp({ engine, keys: auth, logger });
  return { app, key, lines };
}

describe("5xx answers", () => {
  it("are logged with a request id that the answer carries, without the body or the key", async () => {
    const { app, key, lines } = await setup();
    const secretTag = "tag-with-a-secret-value-123";
    const res = await app.fetch(
      new Request("http://x/v1/usage", {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({
          dimensions: { component: "c", model: "test-model", tags: [secretTag] },
          usage: { inputTokens: 5 },
        }),
      }),
    );
    expect(res.status).toBe(500);
    const body = (await res.json()) as { code: string; requestId: string; detail: string };
    expect(body.code).toBe("internal");
    expect(body.detail).not.toContain("exploded");
    expect(body.requestId).toMatch(/^req_[0-9a-f-]{36}$/);
    expect(res.headers.get("x-request-id")).toBe(body.requestId);
    const logged = lines.filter((l) => l.requestId === body.requestId);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 50, status: 500, route: "/v1/usage", method: "POST" });
    expect(JSON.stringify(logged[0])).toContain("driver exploded");
    const all = JSON.stringify(lines);
    for (const secret of [secretTag, key]) expect(all).not.toContain(secret);
  });

  it("keep a caller's short X-Request-Id, replace an unsafe one, and tag every answer", async () => {
    const { app, key } = await setup();
    const call = (id: string) =>
      app.fetch(
        new Request("http://x/v1/budgets", {
          headers: { authorization: `Bearer ${key}`, "x-request-id": id },
        }),
      );
    expect((await call("trace-42")).headers.get("x-request-id")).toBe("trace-42");
    expect((await call("bad id\twith spaces")).headers.get("x-request-id")).toMatch(/^req_/);
  });
});
