import Anthropic from "@anthropic-ai/sdk";
import { generateText, wrapLanguageModel } from "ai";
import { MockLanguageModelV3 } from "ai/test";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetMiddleware } from "../ai-sdk/budget-middleware.js";
import { type MockAnthropic, startMockAnthropic } from "../anthropic/mock-anthropic-server.js";
import { withAnthropicBudget } from "../anthropic/with-budget.js";
import { withBudget } from "../openai/with-budget.js";
import { type MockOpenAI, startMockOpenAI } from "../testing/mock-openai-server.js";
import { type JsonServer, startJsonServer } from "./json-server.js";
import { createTestEngine } from "./test-support.js";

/**
 * A request without an output cap is reserved at `defaultMaxOutputTokens` and sent with that cap,
 * as the gateway does (`capOutput`), so the provider cannot bill more than was reserved.
 */
let openaiMock: MockOpenAI;
let anthropicMock: MockAnthropic;
let responsesServer: JsonServer;

beforeAll(async () => {
  openaiMock = await startMockOpenAI();
  anthropicMock = await startMockAnthropic();
  responsesServer = await startJsonServer({
    id: "resp_1",
    object: "response",
    created_at: 0,
    model: "test-model",
    status: "completed",
    output: [],
    usage: { input_tokens: 10, output_tokens: 5, total_tokens: 15 },
  });
});
afterAll(async () => {
  await openaiMock.close();
  await anthropicMock.close();
  await responsesServer.close();
});

/** The output side of every allowed reservation of `engine`. */
async function reservedOutputs() {
  const engine = await createTestEngine();
  const outputs: number[] = [];
  engine.subscribe((e) => {
    if (e.type === "reservation" && e.result.status === "allowed") outputs.push(e.result.estimate.tokens);
  });
  return { engine, outputs };
}

const messages = [{ role: "user" as const, content: "Summarize the report. [[tokens=3]]" }];

describe("output cap of uncapped requests", () => {
  it("chat completions: sent with max_completion_tokens (or chatCapField) at the reserved default", async () => {
    const { engine } = await reservedOutputs();
    const raw = new OpenAI({ baseURL: openaiMock.baseURL, apiKey: "test", maxRetries: 0 });
    await withBudget(raw, { client: engine, defaultMaxOutputTokens: 300 }).chat.completions.create({
      model: "test-model",
      messages,
    });
    expect(openaiMock.requests.at(-1)).toMatchObject({ maxTokens: 300, capField: "max_completion_tokens" });
    await withBudget(raw, { client: engine, chatCapField: "max_tokens" }).chat.completions.create({
      model: "test-model",
      messages,
    });
    expect(openaiMock.requests.at(-1)).toMatchObject({ maxTokens: 4096, capField: "max_tokens" });
    // The caller's own cap is kept as sent.
    await withBudget(raw, { client: engine, defaultMaxOutputTokens: 300 }).chat.completions.create({
      model: "test-model",
      messages,
      max_tokens: 20,
    });
    expect(openaiMock.requests.at(-1)).toMatchObject({ maxTokens: 20, capField: "max_tokens" });
    // capOutput: false sends the request as given (still reserved at the default).
    await withBudget(raw, { client: engine, capOutput: false }).chat.completions.create({
      model: "test-model",
      messages,
    });
    expect(openaiMock.requests.at(-1)).toMatchObject({ maxTokens: null, capField: null });
  });

  it("responses: sent with max_output_tokens", async () => {
    const { engine } = await reservedOutputs();
    const raw = new OpenAI({ baseURL: `${responsesServer.url}/v1`, apiKey: "test", maxRetries: 0 });
    await withBudget(raw, { client: engine, defaultMaxOutputTokens: 250 }).responses.create({
      model: "test-model",
      input: "hi",
    });
    expect(responsesServer.bodies.at(-1)).toMatchObject({ max_output_tokens: 250 });
  });

  it("anthropic messages: sent with max_tokens when absent", async () => {
    const { engine } = await reservedOutputs();
    const raw = new Anthropic({ baseURL: anthropicMock.baseURL, apiKey: "test", maxRetries: 0 });
    const anthropic = withAnthropicBudget(raw, { client: engine, defaultMaxOutputTokens: 64 });
    // The SDK's types require max_tokens; a caller in plain JavaScript may leave it out.
    const params = { model: "test-model", messages } as unknown as Anthropic.MessageCreateParamsNonStreaming;
    await anthropic.messages.create(params);
    expect(anthropicMock.requests.at(-1)).toMatchObject({ maxTokens: 64 });
  });

  it("AI SDK: maxOutputTokens set before the call is reserved and made", async () => {
    const { engine, outputs } = await reservedOutputs();
    const model = new MockLanguageModelV3({
      provider: "test.chat",
      modelId: "test-model",
      doGenerate: async () => ({
        content: [{ type: "text", text: "ok" }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: {
          inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 1, text: 1, reasoning: 0 },
        },
        warnings: [],
      }),
    });
    const wrapped = wrapLanguageModel({
      model,
      middleware: budgetMiddleware({ client: engine, defaultMaxOutputTokens: 128 }),
    });
    await generateText({ model: wrapped, prompt: "Plan the release." });
    expect(model.doGenerateCalls.at(-1)?.maxOutputTokens).toBe(128);
    expect(outputs).toHaveLength(1);
    expect(outputs[0]).toBeGreaterThan(128);
  });
});
