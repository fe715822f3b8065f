import { createBudgetEngine, createMemoryStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSlowSseServer } from "../call-guard/slow-sse-server.js";
import { createTestEngine, ledger, teamStatus, testModelCost } from "../call-guard/test-support.js";
import { BudgetExceededError } from "../errors.js";
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

  it("releases when the consumer stops or aborts mid-stream, before the usage", async () => {
    const chunk = (content: string) => ({
      id: "c1",
      object: "chat.completion.chunk",
      created: 0,
      model: "test-model",
      choices: [{ index: 0, delta: { content }, finish_reason: null }],
    });
    const usage = { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 };
    const slow = await startSlowSseServer(
      [...Array.from({ length: 20 }, () => chunk("ok ")), { ...chunk(""), choices: [], usage }],
      15,
    );
    try {
      const engine = await createTestEngine();
      const openai = withBudget(new OpenAI({ baseURL: `${slow.url}/v1`, apiKey: "t", maxRetries: 0 }), {
        client: engine,
      });
      const body = { model: "test-model", messages, stream: true } as const;
      const broken = await openai.chat.completions.create(body);
      for await (const _ of broken) break;
      const aborted = await openai.chat.completions.create(body);
      let seen = 0;
      for await (const _ of aborted) {
        seen += 1;
        if (seen === 2) aborted.controller.abort();
      }
      expect(seen).toBe(2);
      const signal = new AbortController();
      const viaSignal = await openai.chat.completions.create(body, { signal: signal.signal });
      await expect(
        (async () => {
          for await (const _ of viaSignal) signal.abort();
        })(),
      ).resolves.toBeUndefined();
      expect(slow.requests).toBe(3);
      expect((await teamStatus(engine)).reserved).toMatchObject({ tokens: 0, requests: 0 });
      expect(await ledger(engine)).toEqual([]);
      // Run to the end, the same stream commits its final usage.
      const whole = await openai.chat.completions.create(body);
      for await (const _ of whole);
      expect((await ledger(engine))[0]?.usage).toMatchObject({ inputTokens: 10, outputTokens: 20 });
    } finally {
      await slow.close();
    }
  });

  it("calls the soft limit's fallback model and commits under it", async () => {
    const engine = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog() });
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
