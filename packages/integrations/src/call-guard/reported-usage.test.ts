import { readFileSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterEach, describe, expect, it } from "vitest";
import { withAnthropicBudget } from "../anthropic/with-budget.js";
import { withBudget } from "../openai/with-budget.js";
import { withClientProvider } from "./guard-options.js";
import { type JsonServer, startJsonServer } from "./json-server.js";
import { createTestEngine, ledger } from "./test-support.js";

/** A recorded body from core's usage fixtures (origins in their README). */
function recorded(name: string): Record<string, unknown> {
  const url = new URL(`../../../core/src/usage/adapters/fixtures/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, "utf8"));
}

let server: JsonServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ask = [{ role: "user" as const, content: "hi" }];

describe("the provider label comes from the call", () => {
  it("from the SDK client's base URL, unless given", () => {
    const deepseek = new OpenAI({ apiKey: "x", baseURL: "https://api.deepseek.com/v1" });
    expect(withClientProvider({ client: {} as never }, deepseek).provider).toBe("deepseek");
    const xai = new OpenAI({ apiKey: "x", baseURL: "https://api.x.ai/v1" });
    expect(withClientProvider({ client: {} as never }, xai).provider).toBe("x-ai");
    expect(withClientProvider({ client: {} as never, provider: "mine" }, xai).provider).toBe("mine");
    const local = new OpenAI({ apiKey: "x", baseURL: "http://127.0.0.1:1/v1" });
    expect(withClientProvider({ client: {} as never }, local).provider).toBeUndefined();
  });

  it("labels the event and normalizes by that provider's rules (xAI reasoning on top of completion)", async () => {
    server = await startJsonServer(recorded("xai-chat-reasoning.json"));
    const engine = await createTestEngine();
    const openai = withBudget(new OpenAI({ apiKey: "x", baseURL: server.url, maxRetries: 0 }), {
      client: engine,
      provider: "x-ai",
    });
    await openai.chat.completions.create({ model: "test-model", messages: ask, max_tokens: 300 });
    const [event] = await ledger(engine);
    expect(event?.dimensions).toMatchObject({ provider: "x-ai", model: "test-model" });
    expect(event?.usage).toMatchObject({
      inputTokens: 10,
      cacheReadTokens: 2,
      outputTokens: 229,
      reasoningTokens: 228,
    });
  });

  it("a model prefix names the provider behind a local proxy", async () => {
    server = await startJsonServer(recorded("deepseek-chat-cache-hit.json"));
    const engine = await createTestEngine();
    const openai = withBudget(new OpenAI({ apiKey: "x", baseURL: server.url, maxRetries: 0 }), {
      client: engine,
    });
    await openai.chat.completions.create({ model: "deepseek/test-model", messages: ask, max_tokens: 300 });
    const [event] = await ledger(engine);
    expect(event?.dimensions).toMatchObject({ provider: "deepseek" });
    expect(event?.usage).toMatchObject({ inputTokens: 51, cacheReadTokens: 512, outputTokens: 116 });
  });
});

describe("what the wrappers commit", () => {
  it("usage with a field the adapter does not understand is committed tagged unverified, not lost", async () => {
    const body = recorded("openai-chat-cached.json");
    const usage = {
      ...(body.usage as object),
      prompt_tokens_details: { cached_tokens: 1920, future_tokens: 5 },
    };
    server = await startJsonServer({ ...body, usage });
    const engine = await createTestEngine();
    const openai = withBudget(new OpenAI({ apiKey: "x", baseURL: server.url, maxRetries: 0 }), {
      client: engine,
    });
    await openai.chat.completions.create({ model: "test-model", messages: ask, max_tokens: 300 });
    const [event] = await ledger(engine);
    expect(event?.dimensions.tags).toContain("unverified");
    expect(event?.usage).toMatchObject({ inputTokens: 86, cacheReadTokens: 1920, outputTokens: 300 });
  });

  it("an Anthropic advisor's iterations are recorded as their own event, under their model", async () => {
    const body = recorded("anthropic-advisor.json");
    const usage = body.usage as { iterations: { model?: string }[] };
    // The recorded advisor is claude-opus-4-8; the test catalog prices test-mini instead.
    const iterations = usage.iterations.map((it) => (it.model ? { ...it, model: "test-mini" } : it));
    server = await startJsonServer({ ...body, model: "test-model", usage: { ...usage, iterations } });
    const engine = await createTestEngine();
    const anthropic = withAnthropicBudget(
      new Anthropic({ apiKey: "x", baseURL: server.url, maxRetries: 0 }),
      {
        client: engine,
        dimensions: { project: "docs" },
      },
    );
    await anthropic.messages.create({ model: "test-model", max_tokens: 300, messages: ask });
    const events = await ledger(engine);
    expect(events.map((e) => [e.dimensions.model, e.usage.inputTokens, e.usage.outputTokens])).toEqual([
      ["test-model", 2390, 121],
      ["test-mini", 2518, 22],
    ]);
    expect(events[1]?.dimensions).toMatchObject({ project: "docs", provider: "anthropic" });
  });
});

describe("a reported usage that cannot be read", () => {
  const inconsistent = {
    ...recorded("openai-chat-cached.json"),
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 99 },
  };

  it("commits the estimate tagged estimated and unverified, and reports the error (never silent)", async () => {
    server = await startJsonServer(inconsistent);
    const engine = await createTestEngine();
    const errors: unknown[] = [];
    const openai = withBudget(new OpenAI({ apiKey: "x", baseURL: server.url, maxRetries: 0 }), {
      client: engine,
      onSettleError: (err) => errors.push(err),
    });
    const reply = await openai.chat.completions.create({
      model: "test-model",
      messages: ask,
      max_tokens: 300,
    });
    expect(reply.id).toBeDefined();
    const [event] = await ledger(engine);
    expect(event?.dimensions.tags).toEqual(expect.arrayContaining(["estimated", "unverified"]));
    expect(event?.usage.outputTokens).toBe(300);
    expect(String(errors[0])).toContain("usage.total_tokens");
  });

  it("without onSettleError, throws to the caller after committing the estimate", async () => {
    server = await startJsonServer(inconsistent);
    const engine = await createTestEngine();
    const openai = withBudget(new OpenAI({ apiKey: "x", baseURL: server.url, maxRetries: 0 }), {
      client: engine,
    });
    await expect(
      openai.chat.completions.create({ model: "test-model", messages: ask, max_tokens: 300 }),
    ).rejects.toThrow(/usage.total_tokens/);
    expect((await ledger(engine)).map((e) => e.dimensions.tags)).toEqual([["estimated", "unverified"]]);
  });
});
