import { describe, expect, it } from "vitest";
import { makeUsage } from "../usage.js";
import { normalizeUsage, USAGE_SHAPES, type UsageShape } from "./normalize-usage.js";
import { expectInvalid, fixture } from "./test-support.js";

describe("normalizeUsage", () => {
  const cases: [UsageShape, string, number][] = [
    ["openai", "openai-chat-cached.json", 2306],
    ["anthropic", "anthropic-stream.json", 472 + 2048 + 315],
    ["gemini", "gemini-thoughts-cached.json", 13800],
    ["gemini-interactions", "gemini-interactions-basic.json", 58],
    ["bedrock-converse", "bedrock-converse-cache-read.json", 3201],
    ["ai-sdk", "ai-sdk-v3.json", 6760],
    ["otel-genai", "otel-genai-attributes.json", 5220],
  ];

  it.each(cases)("dispatches %s", (shape, file, total) => {
    const { usage } = normalizeUsage(shape, fixture(file));
    const sum = usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens + usage.outputTokens;
    expect(sum).toBe(total);
    expect(usage.requests).toBe(1);
  });

  it("covers every shape and passes options through", () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(USAGE_SHAPES));
    const raw = { "gen_ai.usage.input_tokens": 2, "gen_ai.usage.cache_read.input_tokens": 5 };
    expect(normalizeUsage("otel-genai", raw, { inputIncludesCache: false }).usage).toEqual(
      makeUsage({ inputTokens: 2, cacheReadTokens: 5 }),
    );
  });

  it("rejects an unknown shape", () => {
    expectInvalid(() => normalizeUsage("cohere" as UsageShape, {}), "cohere");
  });
});
