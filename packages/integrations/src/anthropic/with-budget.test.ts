import Anthropic from "@anthropic-ai/sdk";
import { BudgetExceededError } from "@budget/calls";
import { estimateUsage, heuristicTokenCount } from "@budget/calls/estimate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, ledger, teamStatus, testModelCost } from "../call-guard/test-support.js";
import { type MockAnthropic, startMockAnthropic } from "./mock-anthropic-server.js";
import { withAnthropicBudget } from "./with-budget.js";

let mock: MockAnthropic;
let slow: MockAnthropic;
let raw: Anthropic;

beforeAll(async () => {
  mock = await startMockAnthropic();
  slow = await startMockAnthropic({ delayMs: 10 });
  raw = new Anthropic({ baseURL: mock.baseURL, apiKey: "test", maxRetries: 0 });
});
afterAll(async () => {
  await mock.close();
  await slow.close();
});

const system = "You are terse.";
const ask = (text: string) => [{ role: "user" as const, content: text }];
// The mock's input count: text characters / 4, rounded up.
const inputOf = (text: string) => Math.ceil((system.length + text.length) / 4);
// The mock's streamed text: `n` words "ok", one per delta.
const okWords = (n: number) => Array.from({ length: n }, () => "ok").join(" ");

describe("withAnthropicBudget(anthropic).messages", () => {
  it("commits a message's usage, cache reads at their own rate", async () => {
    const engine = await createTestEngine();
    const anthropic = withAnthropicBudget(raw, { client: engine, dimensions: { project: "docs" } });
    const text = "Summarize. [[tokens=9]] [[cache=2000]]";
    const msg = await anthropic.messages.create({
      model: "test-model",
      max_tokens: 64,
      system,
      messages: ask(text),
    });
    expect(msg.content[0]).toMatchObject({ type: "text", text: "ok ok ok ok ok ok ok ok ok" });
    const [event] = await ledger(engine);
    expect(event?.usage).toMatchObject({
      inputTokens: inputOf(text),
      cacheReadTokens: 2000,
      outputTokens: 9,
    });
    expect(event?.costNanoUsd).toBe(testModelCost(inputOf(text), 9) + 2000n * 100n);
    expect(event?.dimensions).toMatchObject({ project: "docs", provider: "anthropic", model: "test-model" });
    expect((await teamStatus(engine)).reserved.tokens).toBe(0);
  });

  it("denies before calling the API", async () => {
    const engine = await createTestEngine({ tokens: 50 });
    const anthropic = withAnthropicBudget(raw, { client: engine });
    const before = mock.requests.length;
    const err = await anthropic.messages
      .create({ model: "test-model", max_tokens: 64, messages: ask("hi") })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect(err).toMatchObject({ budgetId: "team", limitId: "all", remaining: { tokens: 50 } });
    expect(mock.requests.length).toBe(before);
  });

  it("stream: true commits the final message_delta counts, not message_start's", async () => {
    const engine = await createTestEngine();
    const anthropic = withAnthropicBudget(raw, { client: engine });
    const text = "Go. [[tokens=12]]";
    const stream = await anthropic.messages.create({
      model: "test-model",
      max_tokens: 64,
      system,
      messages: ask(text),
      stream: true,
    });
    let out = "";
    for await (const e of stream)
      if (e.type === "content_block_delta" && e.delta.type === "text_delta") out += e.delta.text;
    expect(out.split(" ")).toHaveLength(12);
    const [event] = await ledger(engine);
    expect(event?.usage).toMatchObject({ inputTokens: inputOf(text), outputTokens: 12 });
    expect(event?.costNanoUsd).toBe(testModelCost(inputOf(text), 12));
  });

  it("messages.stream() helper is accounted too", async () => {
    const engine = await createTestEngine();
    const anthropic = withAnthropicBudget(raw, { client: engine });
    const final = await anthropic.messages
      .stream({ model: "test-model", max_tokens: 64, system, messages: ask("Go. [[tokens=5]]") })
      .finalMessage();
    expect(final.usage.output_tokens).toBe(5);
    expect((await ledger(engine))[0]?.usage.outputTokens).toBe(5);
    expect((await teamStatus(engine)).reserved.tokens).toBe(0);
  });

  it("releases on a server error", async () => {
    const engine = await createTestEngine();
    const anthropic = withAnthropicBudget(raw, { client: engine });
    await expect(
      anthropic.messages.create({ model: "test-model", max_tokens: 64, messages: ask("[[fail=529]]") }),
    ).rejects.toMatchObject({ status: 529 });
    expect((await teamStatus(engine)).reserved).toMatchObject({ tokens: 0, requests: 0, costNanoUsd: 0n });
    expect(await ledger(engine)).toEqual([]);
  });

  it("a stream aborted or abandoned before message_delta commits message_start's input and the output seen", async () => {
    const engine = await createTestEngine();
    const hooked: unknown[] = [];
    const anthropic = withAnthropicBudget(
      new Anthropic({ baseURL: slow.baseURL, apiKey: "t", maxRetries: 0 }),
      {
        client: engine,
        onEstimatedUsage: (usage, call) => hooked.push({ usage, operation: call.operation }),
      },
    );
    const text = "Long. [[tokens=40]] [[cache=300]]";
    const params = { model: "test-model", max_tokens: 64, system, messages: ask(text) };
    const body = { ...params, stream: true } as const;
    // message_start reported the input side (cache reads included); the text deltas are counted.
    const after = (words: number) => ({
      inputTokens: inputOf(text),
      cacheReadTokens: 300,
      outputTokens: heuristicTokenCount(okWords(words)),
      reasoningTokens: 0,
    });
    const aborted = await anthropic.messages.create(body);
    let seen = 0;
    for await (const _ of aborted) if (++seen === 5) aborted.controller.abort();
    expect(seen).toBe(5);
    const broken = await anthropic.messages.create(body);
    seen = 0;
    for await (const _ of broken) if (++seen === 12) break;
    await expect.poll(async () => (await ledger(engine)).length).toBe(2);
    const events = await ledger(engine);
    // message_start and content_block_start precede the text deltas.
    expect(events[0]?.usage).toMatchObject(after(3));
    expect(events[1]?.usage).toMatchObject(after(10));
    expect(events[1]?.costNanoUsd).toBe(
      testModelCost(inputOf(text), heuristicTokenCount(okWords(10))) + 300n * 100n,
    );
    const helper = anthropic.messages.stream(params);
    helper.on("text", () => helper.abort());
    await helper.done().catch(() => {});
    await expect.poll(async () => (await ledger(engine)).length).toBe(3);
    expect((await ledger(engine))[2]?.usage).toMatchObject(after(1));
    expect(hooked).toEqual(
      [after(3), after(10), after(1)].map((usage) => ({
        usage: expect.objectContaining(usage),
        operation: "messages",
      })),
    );
    expect((await teamStatus(engine)).reserved).toMatchObject({ tokens: 0, requests: 0 });
    await expect.poll(() => slow.disconnects).toBe(3);
  });

  it("a connection dropped midway commits the output seen; before message_start, the prompt estimate", async () => {
    const engine = await createTestEngine();
    const anthropic = withAnthropicBudget(
      new Anthropic({ baseURL: slow.baseURL, apiKey: "t", maxRetries: 0 }),
      {
        client: engine,
      },
    );
    const drain = async (text: string) => {
      const stream = await anthropic.messages.create({
        model: "test-model",
        max_tokens: 64,
        messages: ask(text),
        stream: true,
      });
      let seen = 0;
      await expect(
        (async () => {
          for await (const _ of stream) seen += 1;
        })(),
      ).rejects.toThrow();
      return seen;
    };
    const midway = "Go. [[tokens=20]] [[drop=8]]";
    expect(await drain(midway)).toBe(8);
    await expect.poll(async () => (await ledger(engine)).length).toBe(1);
    expect((await ledger(engine))[0]?.usage).toMatchObject({
      inputTokens: Math.ceil(midway.length / 4),
      outputTokens: heuristicTokenCount(okWords(6)),
    });
    const early = "Go. [[tokens=20]] [[drop=0]]";
    expect(await drain(early)).toBe(0);
    await expect.poll(async () => (await ledger(engine)).length).toBe(2);
    const { usage: estimate } = await estimateUsage({
      model: "test-model",
      messages: ask(early),
      maxOutputTokens: 64,
    });
    expect((await ledger(engine))[1]?.usage).toMatchObject({
      inputTokens: estimate.inputTokens,
      outputTokens: 0,
    });
    expect((await teamStatus(engine)).reserved).toMatchObject({ tokens: 0, requests: 0 });
  });
});
