import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeUsage, totalTokens } from "../usage.js";
import { normalizeOpenAiUsage } from "./openai.js";
import { expectAgreesWithGenaiPrices, expectInvalid, expectWellFormed, fixture } from "./test-support.js";

const openai = { provider: "openai" };

describe("normalizeOpenAiUsage: Chat Completions", () => {
  it("OpenRouter on Gemini (explicit caching): tokens written and read in one call count once, as writes", () => {
    const body = fixture("openrouter-gemini-explicit-cache.json");
    const out = normalizeOpenAiUsage(body, { provider: "openrouter" });
    expect(out.usage).toEqual(makeUsage({ inputTokens: 7, cacheWriteTokens: 2161, outputTokens: 100 }));
    expect(totalTokens(out.usage)).toBe(2268);
    // The overlap is OpenRouter's reading only: elsewhere reads and writes are disjoint, so it is inconsistent.
    expectInvalid(() => normalizeOpenAiUsage(body, { provider: "openai" }), "usage.prompt_tokens_details");
    // Writes beyond the reads are not within them: still inconsistent.
    const usage = (body as { usage: Record<string, unknown> }).usage;
    const over = { ...usage, prompt_tokens_details: { cached_tokens: 100, cache_write_tokens: 2161 } };
    expectInvalid(
      () => normalizeOpenAiUsage({ usage: over }, { provider: "openrouter" }),
      "usage.prompt_tokens_details",
    );
  });

  it("takes cached tokens out of prompt_tokens", () => {
    const body = fixture("openai-chat-cached.json");
    const out = normalizeOpenAiUsage(body, openai);
    expect(out).toEqual({
      usage: makeUsage({ inputTokens: 86, cacheReadTokens: 1920, outputTokens: 300 }),
      model: "gpt-4o-2024-08-06",
      provider: "openai",
    });
    expect(totalTokens(out.usage)).toBe(2306);
    expectAgreesWithGenaiPrices("openai", body, out.usage, "chat");
  });

  it("keeps reasoning inside output (never added on top)", () => {
    const body = fixture("openai-chat-reasoning.json");
    const out = normalizeOpenAiUsage(body, openai);
    expect(out.usage).toEqual(makeUsage({ inputTokens: 75, outputTokens: 1186, reasoningTokens: 1024 }));
    expect(out.model).toBe("o4-mini-2025-04-16");
    expect(totalTokens(out.usage)).toBe(1261);
    expectAgreesWithGenaiPrices("openai", body, out.usage, "chat");
  });

  it("moves audio tokens to the audio buckets on both sides", () => {
    const body = fixture("openai-chat-audio.json");
    const out = normalizeOpenAiUsage(body, openai);
    expect(out.usage).toEqual(
      makeUsage({ inputTokens: 17, inputAudioTokens: 95, outputTokens: 55, outputAudioTokens: 234 }),
    );
    expect(totalTokens(out.usage)).toBe(401);
    expectAgreesWithGenaiPrices("openai", body, out.usage, "chat");
  });

  it("reads the final usage chunk of a stream, alone or among all chunks", () => {
    const expected = {
      usage: makeUsage({ inputTokens: 156, cacheReadTokens: 1024, outputTokens: 64 }),
      model: "gpt-4o-mini-2024-07-18",
      provider: "openai",
    };
    expect(normalizeOpenAiUsage(fixture("openai-chat-stream-final-chunk.json"), openai)).toEqual(expected);
    expect(normalizeOpenAiUsage(fixture("openai-chat-stream.json"), openai)).toEqual(expected);
  });

  it("accepts a bare usage object", () => {
    const out = normalizeOpenAiUsage({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }, openai);
    expect(out).toEqual({ usage: makeUsage({ inputTokens: 10, outputTokens: 5 }), provider: "openai" });
  });
});

describe("normalizeOpenAiUsage: Responses API", () => {
  it("takes cached tokens out of input and counts web_search_call items", () => {
    const body = fixture("openai-responses-web-search.json");
    const out = normalizeOpenAiUsage(body, openai);
    expect(out).toEqual({
      usage: makeUsage({
        inputTokens: 1232,
        cacheReadTokens: 2048,
        outputTokens: 912,
        reasoningTokens: 640,
        webSearches: 2,
      }),
      model: "gpt-5-2025-08-07",
      provider: "openai",
    });
    expect(totalTokens(out.usage)).toBe(4192);
    expectAgreesWithGenaiPrices("openai", body, out.usage, "responses");
  });

  it("unwraps the response.completed stream event", () => {
    const out = normalizeOpenAiUsage(fixture("openai-responses-completed-event.json"), openai);
    expect(out).toEqual({
      usage: makeUsage({ inputTokens: 36, outputTokens: 87 }),
      model: "gpt-4.1-2025-04-14",
      provider: "openai",
    });
  });
});

describe("normalizeOpenAiUsage: invalid input", () => {
  it("rejects more cached tokens than prompt tokens instead of going negative", () => {
    expectInvalid(
      () =>
        normalizeOpenAiUsage(
          {
            prompt_tokens: 100,
            completion_tokens: 1,
            prompt_tokens_details: { cached_tokens: 101 },
          },
          openai,
        ),
      "prompt_tokens_details",
    );
  });

  it("rejects negative, fractional and NaN counts, naming the field", () => {
    expectInvalid(
      () => normalizeOpenAiUsage({ prompt_tokens: -1, completion_tokens: 1 }, openai),
      "usage.prompt_tokens",
    );
    expectInvalid(
      () => normalizeOpenAiUsage({ prompt_tokens: 1, completion_tokens: 1.5 }, openai),
      "usage.completion_tokens",
    );
    expectInvalid(
      () =>
        normalizeOpenAiUsage(
          {
            input_tokens: 1,
            output_tokens: 2,
            output_tokens_details: { reasoning_tokens: Number.NaN },
          },
          openai,
        ),
      "usage.output_tokens_details.reasoning_tokens",
    );
  });

  it("rejects reasoning above output, a chunk without usage, and unknown shapes", () => {
    expectInvalid(
      () =>
        normalizeOpenAiUsage(
          {
            input_tokens: 1,
            output_tokens: 2,
            output_tokens_details: { reasoning_tokens: 3 },
          },
          openai,
        ),
      "reasoningTokens",
    );
    expectInvalid(
      () => normalizeOpenAiUsage({ object: "chat.completion.chunk", usage: null }, openai),
      "usage",
    );
    expectInvalid(() => normalizeOpenAiUsage({ tokens: 3 }, openai), "usage");
    expectInvalid(() => normalizeOpenAiUsage([], openai), "usage");
  });
});

describe("normalizeOpenAiUsage: properties", () => {
  const n = fc.nat({ max: 2_000_000 });
  it("Chat: buckets sum to total_tokens, no double counting, reasoning ⊂ output", () => {
    fc.assert(
      fc.property(n, n, n, n, n, n, (text, cached, audioIn, textOut, reasoningPart, audioOut) => {
        const reasoning = Math.min(reasoningPart, textOut);
        const prompt = text + cached + audioIn;
        const completion = textOut + audioOut;
        const body = {
          model: "gpt-4o",
          usage: {
            prompt_tokens: prompt,
            completion_tokens: completion,
            total_tokens: prompt + completion,
            prompt_tokens_details: { cached_tokens: cached, audio_tokens: audioIn },
            completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: audioOut },
          },
        };
        const { usage } = normalizeOpenAiUsage(body, openai);
        expectWellFormed(usage);
        expect(totalTokens(usage)).toBe(prompt + completion);
        expect(usage.reasoningTokens).toBe(reasoning);
        expect(usage.outputTokens).toBe(textOut);
        expectAgreesWithGenaiPrices("openai", body, usage, "chat");
      }),
      { numRuns: 200 },
    );
  });

  it("Responses: buckets sum to total_tokens", () => {
    fc.assert(
      fc.property(n, n, n, n, (text, cached, output, reasoningPart) => {
        const reasoning = Math.min(reasoningPart, output);
        const body = {
          model: "o3",
          usage: {
            input_tokens: text + cached,
            input_tokens_details: { cached_tokens: cached },
            output_tokens: output,
            output_tokens_details: { reasoning_tokens: reasoning },
            total_tokens: text + cached + output,
          },
        };
        const { usage } = normalizeOpenAiUsage(body, openai);
        expectWellFormed(usage);
        expect(totalTokens(usage)).toBe(text + cached + output);
        expectAgreesWithGenaiPrices("openai", body, usage, "responses");
      }),
      { numRuns: 200 },
    );
  });
});
