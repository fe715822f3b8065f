import { BudgetExceededError } from "@budget/calls";
import { estimateUsage, heuristicTokenCount } from "@budget/calls/estimate";
import { generateText, streamText, wrapLanguageModel } from "ai";
import { MockLanguageModelV3, simulateReadableStream } from "ai/test";
import { describe, expect, it } from "vitest";
import { createTestEngine, ledger, teamStatus, testModelCost } from "../call-guard/test-support.js";
import { budgetMiddleware } from "./budget-middleware.js";

const usage = {
  inputTokens: { total: 1300, noCache: 300, cacheRead: 1000, cacheWrite: 0 },
  outputTokens: { total: 40, text: 30, reasoning: 10 },
};
// 300 input at $1/M, 1000 cache reads at $0.1/M, 40 output at $2/M.
const cost = testModelCost(300, 40) + 1000n * 100n;
const finish = { type: "finish" as const, finishReason: { unified: "stop" as const, raw: "stop" }, usage };

function generating(calls = { n: 0 }) {
  return new MockLanguageModelV3({
    provider: "test.chat",
    modelId: "test-model",
    doGenerate: async () => {
      calls.n += 1;
      return {
        content: [{ type: "text", text: "planned" }],
        finishReason: { unified: "stop", raw: "stop" },
        usage,
        warnings: [],
      };
    },
  });
}

/** The reservation's input side for an AI SDK text prompt (test-model counts with the heuristic). */
async function promptEstimate(prompt: string) {
  const messages = [{ role: "user", content: [{ type: "text", text: prompt }] }];
  return (await estimateUsage({ model: "test-model", messages })).usage.inputTokens;
}

const parts = [
  { type: "text-start" as const, id: "t" },
  ...Array.from({ length: 10 }, () => ({ type: "text-delta" as const, id: "t", delta: "ok " })),
  { type: "text-end" as const, id: "t" },
  finish,
];

/** A streaming model whose stream, like a real provider's HTTP stream, fails when the call is aborted. */
function streaming(delayMs = 0) {
  return new MockLanguageModelV3({
    provider: "test.chat",
    modelId: "test-model",
    doStream: async ({ abortSignal }) => {
      let i = 0;
      return {
        stream: new ReadableStream({
          async pull(controller) {
            if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
            if (abortSignal?.aborted) return controller.error(abortSignal.reason);
            const part = parts[i++];
            if (part) controller.enqueue(part);
            else controller.close();
          },
        }),
      };
    },
  });
}

describe("budgetMiddleware (AI SDK 6)", () => {
  it("generate: reserves the estimate, commits the provider's usage", async () => {
    const engine = await createTestEngine();
    const estimates: number[] = [];
    engine.subscribe((e) => {
      if (e.type === "reservation" && e.result.status === "allowed") estimates.push(e.result.estimate.tokens);
    });
    const model = wrapLanguageModel({
      model: generating(),
      middleware: budgetMiddleware({ client: engine, dimensions: { component: "agent" } }),
    });
    const { text } = await generateText({ model, prompt: "Plan the release.", maxOutputTokens: 200 });
    expect(text).toBe("planned");
    expect(estimates).toHaveLength(1);
    expect(estimates[0]).toBeGreaterThan(200);
    const [event] = await ledger(engine);
    expect(event?.usage).toMatchObject({
      inputTokens: 300,
      cacheReadTokens: 1000,
      outputTokens: 40,
      reasoningTokens: 10,
    });
    expect(event?.costNanoUsd).toBe(cost);
    expect(event?.dimensions).toMatchObject({ component: "agent", provider: "test", model: "test-model" });
  });

  it("generate: a denial throws before the provider is called", async () => {
    const engine = await createTestEngine({ tokens: 100 });
    const calls = { n: 0 };
    const model = wrapLanguageModel({
      model: generating(calls),
      middleware: budgetMiddleware({ client: engine }),
    });
    const err = await generateText({ model, prompt: "Plan.", maxOutputTokens: 200, maxRetries: 0 }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect(err).toMatchObject({ budgetId: "team", remaining: { tokens: 100 } });
    expect(calls.n).toBe(0);
  });

  it("generate: with minOutputTokens, calls the model capped at the partial grant instead of denying", async () => {
    const room = 300;
    const engine = await createTestEngine({ tokens: (await promptEstimate("Plan.")) + room });
    const inner = generating();
    const clamped = wrapLanguageModel({
      model: inner,
      middleware: budgetMiddleware({ client: engine, minOutputTokens: 100 }),
    });
    const { text } = await generateText({ model: clamped, prompt: "Plan.", maxOutputTokens: 5000 });
    expect(text).toBe("planned");
    expect(inner.doGenerateCalls.map((c) => c.maxOutputTokens)).toEqual([room]);
    expect((await teamStatus(engine)).reserved.tokens).toBe(0);
    // Less room than the minimum: denied, the model is not called.
    const tight = wrapLanguageModel({
      model: inner,
      middleware: budgetMiddleware({ client: engine, minOutputTokens: 400 }),
    });
    const err = await generateText({
      model: tight,
      prompt: "Plan.",
      maxOutputTokens: 5000,
      maxRetries: 0,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect(inner.doGenerateCalls).toHaveLength(1);
  });

  it("stream: with minOutputTokens, streams from the model capped at the partial grant", async () => {
    const engine = await createTestEngine({ tokens: (await promptEstimate("Plan.")) + 250 });
    const inner = streaming();
    const model = wrapLanguageModel({
      model: inner,
      middleware: budgetMiddleware({ client: engine, minOutputTokens: 100 }),
    });
    const result = streamText({ model, prompt: "Plan.", maxOutputTokens: 5000 });
    expect(await result.text).toBe("ok ".repeat(10));
    expect(inner.doStreamCalls.map((c) => c.maxOutputTokens)).toEqual([250]);
    expect((await ledger(engine))[0]?.usage.outputTokens).toBe(40);
  });

  it("generate: a provider error releases the hold", async () => {
    const engine = await createTestEngine();
    const failing = new MockLanguageModelV3({
      modelId: "test-model",
      doGenerate: async () => {
        throw new Error("provider down");
      },
    });
    const model = wrapLanguageModel({ model: failing, middleware: budgetMiddleware({ client: engine }) });
    await expect(generateText({ model, prompt: "x", maxRetries: 0 })).rejects.toThrow("provider down");
    expect((await teamStatus(engine)).reserved).toMatchObject({ tokens: 0, requests: 0 });
    expect(await ledger(engine)).toEqual([]);
  });

  it("stream: commits the usage of the finish part", async () => {
    const engine = await createTestEngine();
    const model = wrapLanguageModel({ model: streaming(), middleware: budgetMiddleware({ client: engine }) });
    const result = streamText({ model, prompt: "Plan." });
    expect(await result.text).toBe("ok ".repeat(10));
    await result.consumeStream();
    expect((await ledger(engine))[0]?.costNanoUsd).toBe(cost);
    expect((await teamStatus(engine)).reserved.tokens).toBe(0);
  });

  it("stream: an abort before the finish part commits the prompt estimate and the output seen", async () => {
    const engine = await createTestEngine();
    const estimated: unknown[] = [];
    const model = wrapLanguageModel({
      model: streaming(20),
      middleware: budgetMiddleware({
        client: engine,
        onEstimatedUsage: (usage, call) => estimated.push({ usage, call }),
      }),
    });
    const abort = new AbortController();
    const result = streamText({ model, prompt: "Plan.", abortSignal: abort.signal, onError: () => {} });
    let deltas = 0;
    for await (const part of result.fullStream) {
      if (part.type === "text-delta" && ++deltas === 2) abort.abort();
    }
    await expect.poll(async () => (await ledger(engine)).length).toBe(1);
    const usage = { inputTokens: await promptEstimate("Plan."), outputTokens: heuristicTokenCount("ok ok ") };
    expect((await ledger(engine))[0]?.usage).toMatchObject({ ...usage, reasoningTokens: 0, requests: 1 });
    expect(estimated).toEqual([
      {
        usage: { ...usage, reasoningTokens: 0 },
        call: { provider: "test", model: "test-model", operation: "stream" },
      },
    ]);
    expect((await teamStatus(engine)).reserved.tokens).toBe(0);
  });

  it("stream: a finish part without counts commits the prompt estimate and the whole output", async () => {
    const engine = await createTestEngine();
    const none = { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined };
    const noCounts = {
      ...finish,
      usage: { inputTokens: none, outputTokens: { total: undefined, text: undefined, reasoning: undefined } },
    };
    const model = wrapLanguageModel({
      model: new MockLanguageModelV3({
        modelId: "test-model",
        doStream: async () => ({
          stream: simulateReadableStream({ chunks: [...parts.slice(0, -1), noCounts] }),
        }),
      }),
      middleware: budgetMiddleware({ client: engine }),
    });
    await streamText({ model, prompt: "Plan." }).consumeStream();
    expect((await ledger(engine))[0]?.usage).toMatchObject({
      inputTokens: await promptEstimate("Plan."),
      outputTokens: heuristicTokenCount("ok ".repeat(10)),
    });
  });

  it("a soft limit's fallback model is resolved and called instead", async () => {
    const engine = await createTestEngine({
      cost: "0.00005",
      enforcement: "soft_limit",
      fallbackModel: "test-mini",
    });
    const mini = new MockLanguageModelV3({
      provider: "test.chat",
      modelId: "test-mini",
      doGenerate: async () => ({
        content: [{ type: "text", text: "cheap" }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: {
          inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
          outputTokens: { total: 5, text: 5, reasoning: 0 },
        },
        warnings: [],
      }),
    });
    const calls = { n: 0 };
    const model = wrapLanguageModel({
      model: generating(calls),
      middleware: budgetMiddleware({
        client: engine,
        resolveModel: (id) => (id === "test-mini" ? mini : generating()),
      }),
    });
    const { text } = await generateText({ model, prompt: "Plan.", maxOutputTokens: 50 });
    expect(text).toBe("cheap");
    expect(calls.n).toBe(0);
    const [event] = await ledger(engine);
    expect(event?.dimensions.model).toBe("test-mini");
    expect(event?.priceVersionId).toBe("test:test-mini:1");
  });
});
