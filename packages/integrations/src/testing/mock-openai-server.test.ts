import { normalizeOpenAiUsage } from "@budget/core";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countPromptTokens } from "./mock-completion.js";
import { type MockOpenAI, startMockOpenAI } from "./mock-openai-server.js";

let mock: MockOpenAI;
let openai: OpenAI;

beforeAll(async () => {
  mock = await startMockOpenAI();
  openai = new OpenAI({ baseURL: mock.baseURL, apiKey: "test", maxRetries: 0 });
});
afterAll(() => mock.close());

const messages = [
  { role: "system" as const, content: "You are terse." },
  { role: "user" as const, content: "Summarize the report. [[tokens=7]]" },
];

describe("mock OpenAI-compatible server", () => {
  it("listens on loopback and answers with usage derived from the request", async () => {
    expect(mock.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const c = await openai.chat.completions.create({ model: "test-model", messages, max_tokens: 50 });
    const prompt = countPromptTokens(messages);
    expect(prompt).toBeGreaterThan(10);
    expect(c.usage).toMatchObject({ prompt_tokens: prompt, completion_tokens: 7, total_tokens: prompt + 7 });
    expect(c.choices[0]?.message.content).toBe("ok ok ok ok ok ok ok");
    expect(c.choices[0]?.finish_reason).toBe("stop");
    expect(normalizeOpenAiUsage(c).usage).toMatchObject({
      inputTokens: prompt,
      outputTokens: 7,
      requests: 1,
    });
    const again = await openai.chat.completions.create({ model: "test-model", messages, max_tokens: 50 });
    expect(again.usage).toEqual(c.usage);
  });

  it("defaults to half the max tokens and caps a directive at the max", async () => {
    const half = await openai.chat.completions.create({
      model: "m",
      messages: [{ role: "user", content: "hi" }],
      max_completion_tokens: 9,
    });
    expect(half.usage?.completion_tokens).toBe(5);
    const capped = await openai.chat.completions.create({ model: "m", messages, max_tokens: 4 });
    expect(capped.usage?.completion_tokens).toBe(4);
    expect(capped.choices[0]?.finish_reason).toBe("length");
    expect(mock.requests.at(-1)).toMatchObject({ model: "m", stream: false, maxTokens: 4 });
  });

  it("streams chunks with usage on the last one when include_usage is set", async () => {
    const stream = await openai.chat.completions.create({
      model: "test-model",
      messages,
      max_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    let text = "";
    for await (const chunk of stream) {
      chunks.push(chunk);
      text += chunk.choices[0]?.delta.content ?? "";
    }
    expect(text).toBe("ok ok ok ok ok ok ok");
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(7);
    expect(normalizeOpenAiUsage(chunks).usage.outputTokens).toBe(7);
    const noUsage = await openai.chat.completions.create({ model: "m", messages, stream: true });
    for await (const chunk of noUsage) expect(chunk.usage ?? null).toBeNull();
  });

  it("fails on request with the asked status", async () => {
    await expect(
      openai.chat.completions.create({ model: "m", messages: [{ role: "user", content: "[[fail=503]]" }] }),
    ).rejects.toMatchObject({ status: 503 });
    await expect(
      openai.chat.completions.create({ model: "m", messages: "x" as never }),
    ).rejects.toMatchObject({
      status: 400,
    });
  });
});
