import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestEngine, ledger, teamStatus, testModelCost } from "../call-guard/test-support.js";
import { BudgetExceededError } from "../errors.js";
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

  it("releases when a stream is aborted or abandoned before message_delta", async () => {
    const engine = await createTestEngine();
    const anthropic = withAnthropicBudget(
      new Anthropic({ baseURL: slow.baseURL, apiKey: "t", maxRetries: 0 }),
      {
        client: engine,
      },
    );
    const params = { model: "test-model", max_tokens: 64, messages: ask("Long. [[tokens=40]]") };
    const body = { ...params, stream: true } as const;
    const aborted = await anthropic.messages.create(body);
    let seen = 0;
    for await (const _ of aborted) if (++seen === 3) aborted.controller.abort();
    expect(seen).toBe(3);
    const broken = await anthropic.messages.create(body);
    for await (const _ of broken) break;
    const helper = anthropic.messages.stream(params);
    helper.on("text", () => helper.abort());
    await helper.done().catch(() => {});
    expect((await teamStatus(engine)).reserved).toMatchObject({ tokens: 0, requests: 0 });
    expect(await ledger(engine)).toEqual([]);
    await expect.poll(() => slow.disconnects).toBe(3);
  });
});
