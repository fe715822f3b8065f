import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHarness, OPENAI_UPSTREAM_KEY, startGatewayHarness } from "../testing/gateway-harness.js";

let h: GatewayHarness;
beforeAll(async () => {
  h = await startGatewayHarness({
    budgets: [{ id: "team", limits: [{ id: "all", window: { type: "month" }, tokens: 1_000_000 }] }],
  });
});
afterAll(() => h.close());

const messages = [{ role: "user", content: "Say ok." }];
const call = (url: string, key: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/chat/completions?trace=1`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: JSON.stringify({ model: "test-model", messages }),
  });

describe("gateway: OpenAI-compatible upstreams by configuration", () => {
  it("an Azure-style upstream: the key in `api-key`, a fixed api-version, its own provider dimension", async () => {
    const azure = await startGatewayHarness({
      budgets: [{ id: "team", limits: [{ id: "all", window: { type: "month" }, tokens: 1_000_000 }] }],
      gateway: {
        upstreams: [
          {
            id: "azure",
            api: "openai",
            baseUrl: `${h.openai.baseUrl}/`,
            apiKeyEnv: "FAKE_OPENAI_KEY",
            authHeader: "api-key",
            query: { "api-version": "2024-10-21" },
            provider: "test",
          },
        ],
      },
    });
    try {
      const res = await call(`${azure.url}/gateway/azure/v1`, azure.gatewayKey);
      expect(res.status).toBe(200);
      const seen = h.openai.requests.at(-1);
      expect(seen?.path).toBe("/v1/chat/completions");
      expect(new URLSearchParams(seen?.query)).toEqual(new URLSearchParams("trace=1&api-version=2024-10-21"));
      expect(seen?.headers["api-key"]).toBe(OPENAI_UPSTREAM_KEY);
      expect(seen?.headers.authorization).toBeUndefined();
      await expect.poll(async () => (await azure.ledger()).length).toBe(1);
    } finally {
      await azure.close();
    }
  });
});

describe("gateway: writer keys and keys created over HTTP", () => {
  it("a writer key restricted to components must name one of them", async () => {
    const { key } = await h.auth.createKey({ name: "w", role: "writer", components: ["a", "b"] });
    const base = `${h.url}/gateway/openai/v1`;
    expect((await call(base, key)).status).toBe(403);
    expect((await call(base, key, { "x-budget-component": "c" })).status).toBe(403);
    expect((await call(base, key, { "x-budget-component": "b" })).status).toBe(200);
    await expect.poll(async () => (await h.ledger()).at(-1)?.dimensions.component).toBe("b");
  });

  it("POST /v1/keys creates a gateway key with dimensions; its calls carry them", async () => {
    const { key: admin } = await h.auth.createKey({ name: "admin", role: "admin" });
    const res = await fetch(`${h.url}/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({
        name: "bots",
        role: "gateway",
        dimensions: { project: "alpha", tags: ["bots"] },
      }),
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { key: string; dimensions: unknown };
    expect(created.dimensions).toEqual({ project: "alpha", tags: ["bots"] });
    const bad = await fetch(`${h.url}/v1/keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "x", role: "gateway", dimensions: { model: "gpt-4o" } }),
    });
    expect(bad.status).toBe(400);
    expect((await call(`${h.url}/gateway/openai/v1`, created.key)).status).toBe(200);
    await expect
      .poll(async () => (await h.ledger()).at(-1)?.dimensions)
      .toMatchObject({
        project: "alpha",
        tags: ["bots"],
      });
  });
});
