import Anthropic from "@anthropic-ai/sdk";
import { BudgetError } from "@budget/core";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHarness, startGatewayHarness } from "../testing/gateway-harness.js";

let h: GatewayHarness;
const client = (key = h.gatewayKey, headers: Record<string, string> = {}) =>
  new OpenAI({ baseURL: `${h.url}/gateway/openai/v1`, apiKey: key, maxRetries: 0, defaultHeaders: headers });
const post = (path: string, body: unknown, key = h.gatewayKey, headers: Record<string, string> = {}) =>
  fetch(`${h.url}/gateway/openai/v1/${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  h = await startGatewayHarness({
    budgets: [
      // Only calls tagged "tight" meet this one: 300 tokens, ever.
      {
        id: "tight",
        scope: { tags: ["tight"] },
        limits: [{ id: "all", window: { type: "month" }, tokens: 300 }],
      },
      {
        id: "soft",
        scope: { model: "test-model", user: "frugal" },
        limits: [
          {
            id: "all",
            window: { type: "lifetime" },
            tokens: 10,
            enforcement: "soft_limit",
            fallbackModel: "test-mini",
          },
        ],
      },
    ],
  });
});
afterAll(() => h.close());

const messages = [{ role: "user" as const, content: "Say ok." }];

describe("gateway: denials in the provider's dialect", () => {
  it("openai: a 429 RateLimitError naming the budget, limit, remaining and reset; the upstream is not called", async () => {
    const calls = h.openai.requests.length;
    const err = await client(h.gatewayKey, { "x-budget-tags": "tight" })
      .chat.completions.create({ model: "test-model", messages, max_tokens: 1000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    const e = err as InstanceType<typeof OpenAI.RateLimitError>;
    expect(e.status).toBe(429);
    expect(e.type).toBe("budget_exceeded");
    expect(e.code).toBe("budget_exceeded");
    expect((e.error as { budget?: unknown }).budget).toMatchObject({
      id: "tight",
      limit: "all",
      remaining: { tokens: 300 },
      resetsAt: expect.stringMatching(/T00:00:00.000Z$/),
    });
    expect(e.message).toContain('budget "tight" limit "all"');
    // 1000 output tokens never fit 300: no Retry-After, but the RateLimit fields name the limit.
    expect(e.headers?.get("retry-after")).toBeNull();
    expect(e.headers?.get("ratelimit-policy")).toMatch(/^"tight\/all\/tokens";q=300;qu="tokens";w=\d+$/);
    expect(e.headers?.get("ratelimit")).toBe('"tight/all/tokens";r=300');
    expect(e.headers?.get("x-budget-remaining-tokens")).toBe("300");
    expect(e.headers?.get("x-budget-budget")).toBe("tight");
    expect(e.headers?.get("x-should-retry")).toBe("false");
    expect(h.openai.requests.length).toBe(calls);
  });

  it("anthropic: a 429 RateLimitError with an Anthropic-shaped body", async () => {
    const anthropic = new Anthropic({
      baseURL: `${h.url}/gateway/anthropic`,
      apiKey: h.gatewayKey,
      maxRetries: 0,
      defaultHeaders: { "x-budget-tags": "tight" },
    });
    const err = await anthropic.messages
      .create({ model: "test-model", max_tokens: 1000, messages })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.RateLimitError);
    const body = (err as InstanceType<typeof Anthropic.RateLimitError>).error as {
      type: string;
      error: { type: string; budget: { id: string } };
    };
    expect(body.type).toBe("error");
    expect(body.error.type).toBe("budget_exceeded");
    expect(body.error.budget.id).toBe("tight");
  });

  it("a soft limit's fallback model replaces `model` upstream and in the ledger", async () => {
    const before = (await h.ledger()).length;
    const res = await post(
      "chat/completions",
      { model: "test-model", messages, max_tokens: 50 },
      h.gatewayKey,
      {
        "x-budget-user": "frugal",
      },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("x-budget-fallback-model")).toBe("test-mini");
    expect(h.openai.requests.at(-1)?.body.model).toBe("test-mini");
    await expect.poll(async () => (await h.ledger()).length).toBe(before + 1);
    expect((await h.ledger()).at(-1)?.dimensions).toMatchObject({ model: "test-mini", user: "frugal" });
  });

  it("an unpriced model is refused with a 400 (unpriced is never free)", async () => {
    const res = await post("chat/completions", { model: "no-such-model", messages });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unknown_model");
  });
});

describe("gateway: keys and dimensions", () => {
  it("no key: 401; a reader key: 403; both in the dialect", async () => {
    const none = await fetch(`${h.url}/gateway/openai/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("invalid_api_key");
    const { key } = await h.auth.createKey({ name: "r", role: "reader" });
    const reader = await post("chat/completions", { model: "test-model", messages }, key);
    expect(reader.status).toBe(403);
    const anthropic = await fetch(`${h.url}/gateway/anthropic/v1/messages`, { method: "POST", body: "{}" });
    expect(((await anthropic.json()) as { error: { type: string } }).error.type).toBe("authentication_error");
  });

  it("a header may narrow the key's dimensions, never change them", async () => {
    const changed = await post("chat/completions", { model: "test-model", messages }, h.gatewayKey, {
      "x-budget-component": "other",
    });
    expect(changed.status).toBe(403);
    expect(((await changed.json()) as { error: { type: string } }).error.type).toBe("permission_error");
    const before = (await h.ledger()).length;
    const narrowed = await post("chat/completions", { model: "test-model", messages }, h.gatewayKey, {
      "x-budget-component": "planner",
      "x-budget-user": "alice",
      "x-budget-task-type": "summarize",
    });
    expect(narrowed.status).toBe(200);
    await expect.poll(async () => (await h.ledger()).length).toBe(before + 1);
    expect((await h.ledger()).at(-1)?.dimensions).toMatchObject({
      component: "planner",
      user: "alice",
      taskType: "summarize",
    });
  });

  it("a gateway key reads nothing from the API", async () => {
    const res = await fetch(`${h.url}/v1/status`, { headers: { authorization: `Bearer ${h.gatewayKey}` } });
    expect(res.status).toBe(403);
  });
});

describe("gateway: bad input", () => {
  it("a body it cannot parse is a 400 in the dialect; nothing is reserved or forwarded", async () => {
    const calls = h.openai.requests.length;
    for (const body of ["{not json", { model: "test-model" }, { messages }]) {
      const res = await post("chat/completions", body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { type: string } }).error.type).toBe("invalid_request_error");
    }
    expect(h.openai.requests.length).toBe(calls);
  });

  it("an endpoint it cannot budget is not forwarded (404)", async () => {
    const res = await post("images/generations", { model: "dall-e-3", prompt: "x" });
    expect(res.status).toBe(404);
    const unknown = await fetch(`${h.url}/gateway/nope/v1/chat/completions`, { method: "POST" });
    expect(unknown.status).toBe(404);
  });

  it("the OpenAPI document lists the gateway's endpoints", async () => {
    const { key } = await h.auth.createKey({ name: "doc-reader", role: "reader" });
    const doc = (await (
      await fetch(`${h.url}/v1/openapi.json`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as { paths: Record<string, unknown> };
    for (const path of ["chat/completions", "responses", "embeddings", "messages", "messages/count_tokens"])
      expect(Object.keys(doc.paths)).toContain(`/gateway/{upstream}/v1/${path}`);
  });
});

describe("gateway: SDK retries", () => {
  it("an SDK with retries on does not retry a denial (x-should-retry: false)", async () => {
    const denied = async () =>
      Number(
        /budget_gateway_requests_total\{upstream="openai",operation="chat.completions",outcome="denied"\} (\d+)/.exec(
          await h.app.metrics.render(),
        )?.[1] ?? 0,
      );
    const before = await denied();
    const retrying = new OpenAI({
      baseURL: `${h.url}/gateway/openai/v1`,
      apiKey: h.gatewayKey,
      maxRetries: 3,
      defaultHeaders: { "x-budget-tags": "tight" },
    });
    await expect(
      retrying.chat.completions.create({ model: "test-model", messages, max_tokens: 1000 }),
    ).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    expect(await denied()).toBe(before + 1);
  });
});

describe("gateway: the budget cannot be checked", () => {
  it("a store failure on reserve is a 503 in the dialect, and the call is not forwarded", async () => {
    const calls = h.openai.requests.length;
    const reserve = h.engine.reserve;
    h.engine.reserve = async () => {
      throw new BudgetError("store_unavailable", "database is locked");
    };
    try {
      const res = await post("chat/completions", { model: "test-model", messages, max_tokens: 10 });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("budget_unavailable");
    } finally {
      h.engine.reserve = reserve;
    }
    expect(h.openai.requests.length).toBe(calls);
  });
});
