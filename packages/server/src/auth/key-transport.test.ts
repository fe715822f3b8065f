import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { listen } from "../node/listen.js";
import { createAuth } from "./auth.js";

async function setup() {
  const engine = createBudgetEngine({
    store: createMemoryStore(),
    catalog: createTestCatalog(),
    clock: createManualClock("2026-05-01T00:00:00Z"),
  });
  const auth = createAuth(createMemoryKeyStore());
  const admin = (await auth.createKey({ name: "admin", role: "admin" })).key;
  const reader = (await auth.createKey({ name: "reader", role: "reader" })).key;
  const built = createBudgetApp({ engine, keys: auth, sseHeartbeatMs: 60_000 });
  const keyCount = async () => (await auth.listKeys()).length;
  return { ...built, engine, admin, reader, keyCount };
}

describe("keys stay in headers", () => {
  it("refuses ?api_key= on every route but GET /v1/events, creating nothing", async () => {
    const { app, admin, keyCount } = await setup();
    const before = await keyCount();
    const created = await app.request(`/v1/keys?api_key=${admin}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "x", role: "admin" }),
    });
    expect([created.status, (await created.json()).code]).toEqual([401, "unauthorized"]);
    expect((await app.request(`/v1/budgets?api_key=${admin}`)).status).toBe(401);
    expect(await keyCount()).toBe(before);
  });

  it("takes ?api_key= on GET /v1/events from a reader key only", async () => {
    const { app, admin, reader, close } = await setup();
    const ok = await app.request(`/v1/events?api_key=${reader}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toContain("text/event-stream");
    await ok.body?.cancel();
    const adminInUrl = await app.request(`/v1/events?api_key=${admin}`);
    expect(adminInUrl.status).toBe(401);
    expect((await adminInUrl.json()).detail).toMatch(/reader key/);
    close();
  });

  it("answers 415 to a state-changing request whose body is not JSON, changing nothing", async () => {
    const { app, admin, keyCount } = await setup();
    const before = await keyCount();
    const body = JSON.stringify({ name: "x", role: "admin" });
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const res = await app.request("/v1/keys", {
        method: "POST",
        headers: { authorization: `Bearer ${admin}`, "content-type": type },
        body,
      });
      expect([type, res.status, (await res.json()).code]).toEqual([type, 415, "unsupported_media_type"]);
    }
    const noType = await app.request("/v1/keys", {
      method: "POST",
      headers: { authorization: `Bearer ${admin}` },
      body: new TextEncoder().encode(body),
    });
    expect(noType.status).toBe(415);
    expect(await keyCount()).toBe(before);
    const json = await app.request("/v1/keys", {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json; charset=utf-8" },
      body,
    });
    expect(json.status).toBe(201);
  });

  it("answers 415 over a real socket to a body without a JSON content type, and takes a JSON one", async () => {
    const { fetch: handler, admin, keyCount } = await setup();
    const server = await listen(handler);
    try {
      const before = await keyCount();
      const body = JSON.stringify({ name: "x", role: "reader" });
      const post = (headers: Record<string, string>) =>
        fetch(`${server.url}/v1/keys`, {
          method: "POST",
          headers: { authorization: `Bearer ${admin}`, ...headers },
          body,
        });
      expect((await post({ "content-type": "text/plain;charset=UTF-8" })).status).toBe(415);
      expect(await keyCount()).toBe(before);
      expect((await post({ "content-type": "application/json" })).status).toBe(201);
      const bare = await fetch(`${server.url}/v1/budgets/none/reset`, {
        method: "POST",
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(bare.status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("lets a bodiless POST through without a content type", async () => {
    const { app, admin, engine } = await setup();
    await engine.upsertBudget({ id: "b", limits: [{ id: "d", window: { type: "day" }, tokens: 10 }] });
    const res = await app.request("/v1/budgets/b/reset", {
      method: "POST",
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(200);
  });

  it("takes the bearer scheme in any case", async () => {
    const { app, reader } = await setup();
    for (const scheme of ["Bearer", "bearer", "BEARER", "bEaReR"])
      expect(
        (await app.request("/v1/budgets", { headers: { authorization: `${scheme} ${reader}` } })).status,
      ).toBe(200);
    expect((await app.request("/v1/budgets", { headers: { authorization: `Basic ${reader}` } })).status).toBe(
      401,
    );
  });
});
