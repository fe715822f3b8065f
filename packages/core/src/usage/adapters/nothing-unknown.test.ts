import { describe, expect, it } from "vitest";
import { makeUsage } from "../usage.js";
import { normalizeAiSdkUsage } from "./ai-sdk.js";
import { normalizeAnthropicUsage } from "./anthropic.js";
import { normalizeBedrockConverseUsage } from "./bedrock-converse.js";
import { normalizeGeminiUsage } from "./gemini.js";
import { normalizeGeminiInteractionsUsage } from "./gemini-interactions.js";
import { normalizeUsage, USAGE_SHAPES } from "./normalize-usage.js";
import { normalizeOpenAiUsage } from "./openai.js";
import { normalizeOtelGenAiUsage } from "./otel-genai.js";
import { providerOfCall } from "./provider-of-call.js";
import { expectInvalid, fixture } from "./test-support.js";

describe("nothing unknown becomes zero", () => {
  it.each(USAGE_SHAPES)("%s: an object with none of the adapter's counts is an error", (shape) => {
    expect(() => normalizeUsage(shape, {})).toThrow(/none of|no |required/);
  });

  it("an empty Realtime usage (as xAI's realtime API sends) is an error, not zero", () => {
    expectInvalid(() => normalizeOpenAiUsage({ type: "response.done", response: { usage: {} } }), "usage");
  });

  it("an unknown token field is an error naming it, or with `tag` an unverified usage", () => {
    const body = {
      prompt_tokens: 20,
      completion_tokens: 1300,
      total_tokens: 1320,
      completion_tokens_details: { reasoning_tokens: 0, image_tokens: 1290 },
    };
    expectInvalid(() => normalizeOpenAiUsage(body), "usage.completion_tokens_details.image_tokens");
    const tagged = normalizeOpenAiUsage(body, { provider: "openrouter", unknownFields: "tag" });
    expect(tagged.unverified).toEqual(["usage.completion_tokens_details.image_tokens"]);
    expect(tagged.usage).toEqual(makeUsage({ inputTokens: 20, outputTokens: 1300 }));
    // A zero in an unknown field carries no tokens.
    const zero = {
      ...body,
      completion_tokens_details: { image_tokens: 0 },
      completion_tokens: 10,
      total_tokens: 30,
    };
    expect(normalizeOpenAiUsage(zero).unverified).toBeUndefined();
  });

  it("names unknown fields of every adapter", () => {
    const anthropic = { input_tokens: 1, output_tokens: 1, server_tool_use: { code_execution_requests: 2 } };
    expectInvalid(() => normalizeAnthropicUsage(anthropic), "usage.server_tool_use.code_execution_requests");
    const video = {
      promptTokenCount: 1,
      candidatesTokenCount: 9,
      candidatesTokensDetails: [{ modality: "VIDEO", tokenCount: 9 }],
    };
    expectInvalid(() => normalizeGeminiUsage(video), "usageMetadata.candidatesTokensDetails.VIDEO");
    const maps = { total_input_tokens: 3, grounding_tool_count: [{ type: "google_maps", count: 1 }] };
    expectInvalid(() => normalizeGeminiInteractionsUsage(maps), "usage.grounding_tool_count.google_maps");
    const converse = {
      usage: {
        inputTokens: 1,
        outputTokens: 1,
        cacheDetails: [{ ttl: "24h", inputTokens: 5 }],
        cacheWriteInputTokens: 5,
      },
    };
    expectInvalid(() => normalizeBedrockConverseUsage(converse), "usage.cacheDetails.24h");
    expectInvalid(
      () => normalizeAiSdkUsage({ inputTokens: 1, outputTokens: 1, imageTokens: 4 }),
      "usage.imageTokens",
    );
    const span = {
      "gen_ai.usage.input_tokens": 1,
      "gen_ai.usage.output_tokens": 1,
      "gen_ai.usage.audio_tokens": 7,
    };
    expectInvalid(() => normalizeOtelGenAiUsage(span), "attributes.gen_ai.usage.audio_tokens");
  });

  it("a recorded OpenRouter charge for a server tool (cost 0.016 for 0.00018 of tokens) is unknown", () => {
    const body = fixture("rejected/openrouter-server-tool-charge.json");
    expectInvalid(
      () => normalizeOpenAiUsage(body, { provider: "openrouter" }),
      "usage.server_tool_use_details.tool_calls_executed",
    );
  });

  it("Gemini's OpenAI compatibility hides thinking in total_tokens: counted as output for the google label only", () => {
    const body = fixture("gemini-openai-compat-hidden-thinking.json");
    expectInvalid(() => normalizeOpenAiUsage(body), "usage.total_tokens");
    expect(normalizeOpenAiUsage(body, { provider: "google" }).usage).toEqual(
      makeUsage({ inputTokens: 35, outputTokens: 74, reasoningTokens: 62 }),
    );
  });

  it("a Bedrock Converse usage passed as an AI SDK object is not read as zeros", () => {
    const converse = (fixture("bedrock-converse-cache-read.json") as { usage: object }).usage;
    expectInvalid(() => normalizeAiSdkUsage(converse), "usage.cacheReadInputTokens");
    expect(normalizeBedrockConverseUsage(converse).usage).toEqual(
      makeUsage({ inputTokens: 433, cacheReadTokens: 2752, outputTokens: 16 }),
    );
  });

  it("an image in a Realtime input is unknown: its tokens have their own rate", () => {
    const usage = {
      input_tokens: 10,
      output_tokens: 1,
      input_token_details: { text_tokens: 4, image_tokens: 6 },
      output_token_details: { text_tokens: 1 },
    };
    expectInvalid(() => normalizeOpenAiUsage({ usage }), "usage.input_token_details.image_tokens");
  });
});

describe("internally inconsistent bodies are rejected with the fields named", () => {
  it("a total that is not the sum of the parts", () => {
    expectInvalid(
      () => normalizeOpenAiUsage({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 99 }),
      "usage.total_tokens",
    );
    const converse = fixture("bedrock-converse-cache-read.json") as { usage: Record<string, number> };
    expectInvalid(
      () => normalizeBedrockConverseUsage({ usage: { ...converse.usage, totalTokens: 1 } }),
      "usage.totalTokens",
    );
    expectInvalid(
      () => normalizeGeminiUsage({ promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 4 }),
      "usageMetadata.totalTokenCount",
    );
  });

  it("DeepSeek hit + miss must be the prompt; two cache fields must agree", () => {
    const u = {
      prompt_tokens: 563,
      completion_tokens: 1,
      prompt_cache_hit_tokens: 512,
      prompt_cache_miss_tokens: 50,
    };
    expectInvalid(() => normalizeOpenAiUsage(u), "usage.prompt_cache_miss_tokens");
    const both = {
      prompt_tokens: 20,
      completion_tokens: 1,
      cached_tokens: 10,
      prompt_tokens_details: { cached_tokens: 9 },
    };
    expectInvalid(() => normalizeOpenAiUsage(both), "usage.cached_tokens");
  });

  it("Anthropic: a top level that is not the sum of its message iterations", () => {
    const body = fixture("anthropic-advisor.json") as { usage: Record<string, unknown> };
    const bad = { ...body, usage: { ...body.usage, input_tokens: 2391 } };
    expectInvalid(() => normalizeAnthropicUsage(bad), "message.usage.input_tokens");
    const unknownType = {
      ...body,
      usage: { ...body.usage, iterations: [{ type: "tool_loop", input_tokens: 1 }] },
    };
    expectInvalid(() => normalizeAnthropicUsage(unknownType), "iterations.0.type");
  });

  it("xAI: reasoning on top only when the total (or the x-ai label) says so", () => {
    const onTop = {
      prompt_tokens: 12,
      completion_tokens: 1,
      completion_tokens_details: { reasoning_tokens: 228 },
    };
    expect(normalizeOpenAiUsage(onTop, { provider: "x-ai" }).usage.outputTokens).toBe(229);
    // Reasoning above the completion count cannot be inside it.
    expect(normalizeOpenAiUsage(onTop).usage.outputTokens).toBe(229);
    const inside = {
      prompt_tokens: 12,
      completion_tokens: 300,
      completion_tokens_details: { reasoning_tokens: 228 },
    };
    expect(normalizeOpenAiUsage(inside).usage.outputTokens).toBe(300);
    // xAI sometimes reports cache reads on top of prompt_tokens; its total says so.
    const cachedOnTop = {
      prompt_tokens: 4142,
      completion_tokens: 254,
      total_tokens: 8724,
      prompt_tokens_details: { cached_tokens: 4328 },
    };
    expect(normalizeOpenAiUsage(cachedOnTop).usage).toEqual(
      makeUsage({ inputTokens: 4142, cacheReadTokens: 4328, outputTokens: 254 }),
    );
  });
});

describe("AI SDK 5 results read the provider's own usage", () => {
  it("Anthropic cache writes and Gemini tool-use prompt tokens are not lost", () => {
    const anthropic = {
      usage: { inputTokens: 12, outputTokens: 640, totalTokens: 652, cachedInputTokens: 1600 },
      providerMetadata: {
        anthropic: {
          usage: {
            input_tokens: 12,
            output_tokens: 640,
            cache_read_input_tokens: 1600,
            cache_creation_input_tokens: 4508,
          },
          cacheCreationInputTokens: 4508,
        },
      },
    };
    expect(normalizeAiSdkUsage(anthropic, { provider: "anthropic" }).usage).toEqual(
      makeUsage({ inputTokens: 12, cacheReadTokens: 1600, cacheWriteTokens: 4508, outputTokens: 640 }),
    );
    const google = {
      usage: { inputTokens: 22, outputTokens: 973, totalTokens: 1373, reasoningTokens: 249 },
      providerMetadata: {
        google: {
          usageMetadata: {
            promptTokenCount: 22,
            candidatesTokenCount: 973,
            toolUsePromptTokenCount: 129,
            thoughtsTokenCount: 249,
            totalTokenCount: 1373,
          },
        },
      },
    };
    expect(normalizeAiSdkUsage(google).usage).toEqual(
      makeUsage({ inputTokens: 151, outputTokens: 1222, reasoningTokens: 249 }),
    );
  });
});

describe("xAI through the AI SDK and OpenLLMetry spans", () => {
  it("AI SDK 5's xAI usage (ai@5.0.0 maps prompt/completion/total/reasoning verbatim) keeps reasoning on top", () => {
    // The recorded xai-chat-reasoning.json body as AI SDK 5's xAI provider reports it.
    const v2 = { inputTokens: 12, outputTokens: 1, totalTokens: 241, reasoningTokens: 228 };
    expect(normalizeAiSdkUsage(v2, { provider: "x-ai" }).usage).toEqual(
      makeUsage({ inputTokens: 12, outputTokens: 229, reasoningTokens: 228 }),
    );
    const v3 = {
      inputTokens: { total: 12, noCache: 10, cacheRead: 2 },
      outputTokens: { total: 1, text: 1, reasoning: 228 },
    };
    expect(normalizeAiSdkUsage(v3).usage).toEqual(
      makeUsage({ inputTokens: 10, cacheReadTokens: 2, outputTokens: 229, reasoningTokens: 228 }),
    );
  });

  it("reads OpenLLMetry's reasoning and cache attributes", () => {
    const span = {
      "gen_ai.system": "openai",
      "gen_ai.usage.input_tokens": 1500,
      "gen_ai.usage.output_tokens": 900,
      "gen_ai.usage.total_tokens": 2400,
      "gen_ai.usage.reasoning_tokens": 640,
      "gen_ai.usage.cache_read_input_tokens": 1024,
    };
    expect(normalizeOtelGenAiUsage(span).usage).toEqual(
      makeUsage({ inputTokens: 476, cacheReadTokens: 1024, outputTokens: 900, reasoningTokens: 640 }),
    );
    const clash = { ...span, "gen_ai.usage.reasoning.output_tokens": 600 };
    expectInvalid(() => normalizeOtelGenAiUsage(clash), "attributes.gen_ai.usage.reasoning_tokens");
  });
});

describe("providerOfCall", () => {
  it("takes the caller's dimension, else the base URL, else a model prefix, else the fallback", () => {
    expect(providerOfCall({ provider: "acme", baseUrl: "https://api.deepseek.com" })).toBe("acme");
    expect(providerOfCall({ baseUrl: "https://api.deepseek.com/v1", fallback: "openai" })).toBe("deepseek");
    expect(providerOfCall({ baseUrl: "https://api.x.ai/v1" })).toBe("x-ai");
    expect(providerOfCall({ baseUrl: "https://openrouter.ai/api/v1" })).toBe("openrouter");
    expect(providerOfCall({ baseUrl: "https://bedrock-runtime.us-east-1.amazonaws.com" })).toBe("aws");
    expect(
      providerOfCall({
        baseUrl: "http://127.0.0.1:4000/v1",
        model: "openrouter/x-ai/grok-4",
        fallback: "openai",
      }),
    ).toBe("openrouter");
    expect(providerOfCall({ baseUrl: "not a url", model: "gpt-4o", fallback: "openai" })).toBe("openai");
  });
});
