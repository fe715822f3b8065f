import { BudgetExceededError } from "@budget/calls";
import { createBudgetEngine, createManualClock, createMemoryStore } from "@budget/core";
import { countTokens } from "gpt-tokenizer";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSlowSseServer } from "../call-guard/slow-sse-server.js";
import {
  createTestEngine,
  createWrapperTestCatalog,
  ledger,
  teamStatus,
  testModelCost,
} from "../call-guard/test-support.js";
import { countPromptTokens } from "../testing/mock-completion.js";
import { type MockOpenAI, startMockOpenAI } from "../testing/mock-openai-server.js";
import { withBudget } from "./with-budget.js";

let mock: MockOpenAI;
let raw: OpenAI;

beforeAll(async () => {
  mock = await startMockOpenAI();
  raw = new OpenAI({ baseURL: mock.baseURL, apiKey: "test", maxRetries: 0 });
});
afterAll(() => mock.close());

const messages = [
  { role: "system" as const, content: "You are terse." },
  { role: "user" as const, content: "Summarize the report. [[tokens=7]]" },
];
const prompt = () => countPromptTokens(messages);

describe("withBudget(openai).chat.completions.create", () => {
  it("with minOutputTokens, sends the call capped at the partial grant instead of being denied", async () => {
    const engine = await createTestEngine({ tokens: prompt() + 300 });
    const openai = withBudget(raw, {
      client: engine,
      dimensions: { component: "planner" },
      tokenizer: "o200k_base",
      minOutputTokens: 100,
    });
    await openai.chat.completions.create({ model: "test-model", messages, max_tokens: 5000 });
    expect(mock.requests.at(-1)).toMatchObject({ maxTokens: 300, capField: "max_tokens" });
    const tight = withBudget(raw, { client: engine, tokenizer: "o200k_base", minOutputTokens: 400 });
    await expect(
      tight.chat.completions.create({ model: "test-model", messages, max_tokens: 5000 }),
    ).rejects.toBeInstanceOf(BudgetExceededError);
  });

  it("reserves the estimate, then commits the exact reported usage", async () => {
    const engine = await createTestEngine();
    const reserved: number[] = [];
    engine.subscribe((e) => {
      if (e.type === "reservation" && e.result.status === "allowed") reserved.push(e.result.estimate.tokens);
    });
    const openai = withBudget(raw, {
      client: engine,
      dimensions: { component: "planner" },
      tokenizer: "o200k_base",
    });
    const reply = await openai.chat.completions.create({ model: "test-model", messages, max_tokens: 50 });
    expect(reply.choices[0]?.message.content).toBe("ok ok ok ok ok ok ok");
    // The estimate counts the prompt exactly as the server does, plus the output cap.
    expect(reserved).toEqual([prompt() + 50]);
    const [event] = await ledger(engine);
    expect(event?.usage).toMatchObject({ inputTokens: prompt(), outputTokens: 7, requests: 1 });
    expect(event?.costNanoUsd).toBe(testModelCost(prompt(), 7));
    expect(event?.priceVersionId).toBe("test:test-model:1");
    expect(event?.dimensions).toMatchObject({
      component: "planner",
      provider: "openai",
      model: "test-model",
    });
    expect((await teamStatus(engine)).reserved.tokens).toBe(0);
  });

  it("throws BudgetExceededError on a denial and never calls the API", async () => {
    const engine = await createTestEngine({ tokens: 20 });
    const openai = withBudget(raw, { client: engine });
    const before = mock.requests.length;
    const err = await openai.chat.completions
      .create({ model: "test-model", messages, max_tokens: 50 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect(err).toMatchObject({ budgetId: "team", limitId: "all", reason: "limit_exceeded" });
    expect((err as BudgetExceededError).remaining).toEqual({ tokens: 20 });
    expect(mock.requests.length).toBe(before);
    expect(await ledger(engine)).toEqual([]);
  });

  it("a daily hard-limit denial's BudgetExceededError carries retryAfterMs: the time to the reset", async () => {
    const clock = createManualClock("2026-05-01T18:45:00Z");
    const engine = createBudgetEngine({
      store: createMemoryStore(),
      catalog: createWrapperTestCatalog(),
      clock,
      budgetCacheMs: 0,
    });
    await engine.upsertBudget({
      id: "team",
      limits: [{ id: "daily", window: { type: "day" }, tokens: 1000, enforcement: "hard_limit" }],
    });
    // Spent today so that the call (which fits a fresh day) does not fit now.
    await engine.record({
      dimensions: { provider: "openai", model: "test-model" },
      usage: { inputTokens: 990 },
    });
    const openai = withBudget(raw, { client: engine });
    const before = mock.requests.length;
    const err = await openai.chat.completions
      .create({ model: "test-model", messages, max_tokens: 50 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    const reset = Date.parse("2026-05-02T00:00:00Z");
    expect(err).toMatchObject({ limitId: "daily", resetsAt: reset, retryAfterMs: reset - clock.now() });
    expect((err as BudgetExceededError).retryAfterMs).toBe(5.25 * 3_600_000);
    expect(mock.requests.length).toBe(before);
  });

  it("streams: forces include_usage, hides the extra chunk, commits the final usage", async () => {
    const engine = await createTestEngine();
    const openai = withBudget(raw, { client: engine });
    const stream = await openai.chat.completions.create({
      model: "test-model",
      messages,
      max_tokens: 50,
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]!.delta.content ?? "";
    expect(text).toBe("ok ok ok ok ok ok ok");
    const [event] = await ledger(engine);
    expect(event?.costNanoUsd).toBe(testModelCost(prompt(), 7));
    expect((await teamStatus(engine)).reserved.tokens).toBe(0);
  });

  it("streams: passes the usage chunk through when the caller asked for it", async () => {
    const engine = await createTestEngine();
    const openai = withBudget(raw, { client: engine });
    const stream = await openai.chat.completions.create({
      model: "test-model",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(7);
    expect((await ledger(engine))[0]?.usage.outputTokens).toBe(7);
  });

  it("releases the hold when the server fails", async () => {
    const engine = await createTestEngine();
    const openai = withBudget(raw, { client: engine });
    await expect(
      openai.chat.completions.create({
        model: "test-model",
        messages: [{ role: "user", content: "[[fail=503]]" }],
      }),
    ).rejects.toMatchObject({ status: 503 });
    const status = await teamStatus(engine);
    expect(status.reserved).toMatchObject({ tokens: 0, requests: 0, costNanoUsd: 0n });
    expect(status.used.tokens).toBe(0);
    expect(await ledger(engine)).toEqual([]);
  });

  it("calls the soft limit's fallback model and commits under it", async () => {
    const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createWrapperTestCatalog() });
    await engine.upsertBudget({
      id: "big",
      scope: { model: "test-model" },
      limits: [
        {
          id: "soft",
          window: { type: "lifetime" },
          tokens: 10,
          enforcement: "soft_limit",
          fallbackModel: "test-mini",
        },
      ],
    });
    const openai = withBudget(raw, { client: engine });
    const reply = await openai.chat.completions.create({ model: "test-model", messages, max_tokens: 50 });
    expect(reply.model).toBe("test-mini");
    expect(mock.requests.at(-1)?.model).toBe("test-mini");
    const [event] = await ledger(engine);
    expect(event?.dimensions.model).toBe("test-mini");
    expect(event?.priceVersionId).toBe("test:test-mini:1");
  });

  it("keeps the SDK's stream() helper accounted", async () => {
    const engine = await createTestEngine();
    const openai = withBudget(raw, { client: engine });
    const runner = openai.chat.completions.stream({ model: "test-model", messages, max_tokens: 50 });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe("ok ok ok ok ok ok ok");
    expect((await ledger(engine))[0]?.costNanoUsd).toBe(testModelCost(prompt(), 7));
  });
});

describe("withBudget(openai): a stream that ends without reported usage", () => {
  const words =
    "Budgets reserve before the call and commit after it, so an aborted stream is never free".split(/(?= )/);
  const chunk = (delta: Record<string, unknown>) => ({
    id: "c1",
    object: "chat.completion.chunk",
    created: 0,
    model: "test-model",
    choices: [{ index: 0, delta, finish_reason: null }],
  });
  const usage = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };
  const events = [...words.map((w) => chunk({ content: w })), { ...chunk({}), choices: [], usage }];
  const body = { model: "test-model", messages, stream: true } as const;
  /** What an estimate commit records: the prompt as reserved, and the first `n` words counted. */
  const estimated = (n: number) => ({
    inputTokens: prompt(),
    outputTokens: countTokens(words.slice(0, n).join("")),
    reasoningTokens: 0,
  });

  async function setup(dropAfter?: number) {
    const slow = await startSlowSseServer(events, 10, dropAfter);
    const engine = await createTestEngine();
    const hooked: unknown[] = [];
    const openai = withBudget(new OpenAI({ baseURL: `${slow.url}/v1`, apiKey: "t", maxRetries: 0 }), {
      client: engine,
      tokenizer: "o200k_base",
      onEstimatedUsage: (u) => hooked.push(u),
    });
    return { slow, engine, hooked, openai };
  }

  /** The one ledger event's usage, once the hold is settled. */
  async function committed(engine: Awaited<ReturnType<typeof createTestEngine>>) {
    await expect.poll(async () => (await ledger(engine)).length).toBe(1);
    expect((await teamStatus(engine)).reserved).toMatchObject({ tokens: 0, requests: 0 });
    return (await ledger(engine))[0]?.usage;
  }

  it("the consumer's break after 3 chunks commits the prompt estimate and those 3 chunks", async () => {
    const { slow, engine, hooked, openai } = await setup();
    try {
      const stream = await openai.chat.completions.create(body);
      let seen = 0;
      for await (const _ of stream) if (++seen === 3) break;
      expect(await committed(engine)).toMatchObject({ ...estimated(3), requests: 1 });
      expect((await ledger(engine))[0]?.dimensions.tags).toEqual(["estimated"]);
      expect(hooked).toEqual([estimated(3)]);
      await expect.poll(() => slow.disconnects).toBe(1);
    } finally {
      await slow.close();
    }
  });

  it("controller.abort() and a request signal commit what was consumed", async () => {
    const { slow, engine, hooked, openai } = await setup();
    try {
      const aborted = await openai.chat.completions.create(body);
      let seen = 0;
      for await (const _ of aborted) if (++seen === 2) aborted.controller.abort();
      expect(seen).toBe(2);
      expect(await committed(engine)).toMatchObject(estimated(2));
      const signal = new AbortController();
      const viaSignal = await openai.chat.completions.create(body, { signal: signal.signal });
      seen = 0;
      await expect(
        (async () => {
          for await (const _ of viaSignal) if (++seen === 4) signal.abort();
        })(),
      ).resolves.toBeUndefined();
      await expect.poll(async () => (await ledger(engine)).length).toBe(2);
      expect((await ledger(engine))[1]?.usage).toMatchObject(estimated(4));
      expect(hooked).toEqual([estimated(2), estimated(4)]);
    } finally {
      await slow.close();
    }
  });

  it("a connection dropped midway commits what was consumed and rethrows", async () => {
    const { slow, engine, openai } = await setup(5);
    try {
      const stream = await openai.chat.completions.create(body);
      let seen = 0;
      await expect(
        (async () => {
          for await (const _ of stream) seen += 1;
        })(),
      ).rejects.toThrow();
      expect(seen).toBe(5);
      expect(await committed(engine)).toMatchObject(estimated(5));
    } finally {
      await slow.close();
    }
  });

  it("a stream that fails before its first item commits the prompt estimate: the request was accepted", async () => {
    const { slow, engine, openai } = await setup(0);
    try {
      const stream = await openai.chat.completions.create(body);
      await expect(
        (async () => {
          for await (const _ of stream);
        })(),
      ).rejects.toThrow();
      expect(await committed(engine)).toMatchObject(estimated(0));
    } finally {
      await slow.close();
    }
  });

  it("a server that never sends usage: the whole output, tool-call arguments and reasoning counted", async () => {
    const toolCall = {
      index: 0,
      id: "t1",
      type: "function",
      function: { name: "lookup", arguments: '{"q":' },
    };
    const noUsage = [
      chunk({ reasoning_content: "The user wants a lookup." }),
      chunk({ content: "Looking it up." }),
      chunk({ tool_calls: [toolCall] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"budget"}' } }] }),
    ];
    const slow = await startSlowSseServer(noUsage, 1);
    try {
      const engine = await createTestEngine();
      const openai = withBudget(new OpenAI({ baseURL: `${slow.url}/v1`, apiKey: "t", maxRetries: 0 }), {
        client: engine,
        tokenizer: "o200k_base",
      });
      for await (const _ of await openai.chat.completions.create(body));
      const reasoning = countTokens("The user wants a lookup.");
      expect(await committed(engine)).toMatchObject({
        inputTokens: prompt(),
        outputTokens: countTokens('Looking it up.lookup{"q":"budget"}') + reasoning,
        reasoningTokens: reasoning,
      });
    } finally {
      await slow.close();
    }
  });

  it("a stream read to its usage chunk still commits exactly the reported usage", async () => {
    const { slow, engine, hooked, openai } = await setup();
    try {
      for await (const _ of await openai.chat.completions.create(body));
      expect(await committed(engine)).toMatchObject({
        inputTokens: 10,
        outputTokens: 20,
        reasoningTokens: 0,
      });
      expect(hooked).toEqual([]);
    } finally {
      await slow.close();
    }
  });
});
