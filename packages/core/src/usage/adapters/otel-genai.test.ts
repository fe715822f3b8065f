import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeUsage, totalTokens } from "../usage.js";
import { normalizeOtelGenAiUsage } from "./otel-genai.js";
import { expectInvalid, expectWellFormed, fixture } from "./test-support.js";

describe("normalizeOtelGenAiUsage", () => {
  it("takes cache read and creation out of gen_ai.usage.input_tokens (they are included per semconv)", () => {
    const out = normalizeOtelGenAiUsage(fixture("otel-genai-attributes.json"));
    expect(out).toEqual({
      usage: makeUsage({ inputTokens: 120, cacheReadTokens: 4500, cacheWriteTokens: 500, outputTokens: 100 }),
      model: "claude-sonnet-4-5-20250929",
      provider: "anthropic",
    });
    expect(totalTokens(out.usage)).toBe(5120 + 100);
  });

  it("reads OTLP/JSON key-value attributes with string int64 values and gen_ai.system", () => {
    const out = normalizeOtelGenAiUsage(fixture("otel-genai-otlp.json"));
    expect(out).toEqual({
      usage: makeUsage({ inputTokens: 476, cacheReadTokens: 1024, outputTokens: 900, reasoningTokens: 640 }),
      model: "o4-mini",
      provider: "openai",
    });
  });

  it("reads the pre-1.27 prompt/completion names and emitters that report cache on top", () => {
    expect(
      normalizeOtelGenAiUsage({ "gen_ai.usage.prompt_tokens": 9, "gen_ai.usage.completion_tokens": 4 }).usage,
    ).toEqual(makeUsage({ inputTokens: 9, outputTokens: 4 }));
    const onTop = { "gen_ai.usage.input_tokens": 20, "gen_ai.usage.cache_read.input_tokens": 3000 };
    expectInvalid(() => normalizeOtelGenAiUsage(onTop), "gen_ai.usage.input_tokens");
    expect(normalizeOtelGenAiUsage(onTop, { inputIncludesCache: false }).usage).toEqual(
      makeUsage({ inputTokens: 20, cacheReadTokens: 3000 }),
    );
  });

  it("rejects malformed counts and spans without usage", () => {
    expectInvalid(
      () => normalizeOtelGenAiUsage({ "gen_ai.usage.input_tokens": 1.5 }),
      "attributes.gen_ai.usage.input_tokens",
    );
    expectInvalid(
      () => normalizeOtelGenAiUsage([{ key: "gen_ai.usage.output_tokens", value: { intValue: "-3" } }]),
      "attributes.gen_ai.usage.output_tokens",
    );
    expectInvalid(
      () => normalizeOtelGenAiUsage({ "gen_ai.request.model": "gpt-4o" }),
      "gen_ai.usage.input_tokens",
    );
  });
});

describe("normalizeOtelGenAiUsage: properties", () => {
  const n = fc.nat({ max: 2_000_000 });
  it("buckets sum to input_tokens + output_tokens", () => {
    fc.assert(
      fc.property(n, n, n, n, n, (uncached, read, write, text, reasoning) => {
        const input = uncached + read + write;
        const output = text + reasoning;
        const { usage } = normalizeOtelGenAiUsage({
          "gen_ai.usage.input_tokens": input,
          "gen_ai.usage.output_tokens": output,
          "gen_ai.usage.cache_read.input_tokens": read,
          "gen_ai.usage.cache_creation.input_tokens": write,
          "gen_ai.usage.reasoning.output_tokens": reasoning,
        });
        expectWellFormed(usage);
        expect(totalTokens(usage)).toBe(input + output);
      }),
      { numRuns: 200 },
    );
  });
});
