import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeUsage, totalTokens } from "../usage.js";
import { normalizeGeminiUsage } from "./gemini.js";
import { expectAgreesWithGenaiPrices, expectInvalid, expectWellFormed, fixture } from "./test-support.js";

const google = { provider: "google" };

describe("normalizeGeminiUsage", () => {
  it("takes cached content out of the prompt and adds thoughts to output", () => {
    const body = fixture("gemini-thoughts-cached.json");
    const out = normalizeGeminiUsage(body, google);
    expect(out).toEqual({
      usage: makeUsage({
        inputTokens: 1760,
        cacheReadTokens: 10240,
        outputTokens: 1800,
        reasoningTokens: 1380,
      }),
      model: "gemini-2.5-pro",
      provider: "google",
    });
    expect(totalTokens(out.usage)).toBe(13800);
    expectAgreesWithGenaiPrices("google", body, out.usage);
  });

  it("splits AUDIO prompt and cache tokens into the audio buckets", () => {
    const body = fixture("gemini-audio.json");
    const out = normalizeGeminiUsage(body, google);
    expect(out.usage).toEqual(
      makeUsage({ inputTokens: 500, inputAudioTokens: 952, cacheAudioReadTokens: 2048, outputTokens: 200 }),
    );
    expect(totalTokens(out.usage)).toBe(3700);
    expectAgreesWithGenaiPrices("google", body, out.usage);
  });

  it("takes the last cumulative chunk of a stream, with tool-use prompt tokens and grounding searches", () => {
    const out = normalizeGeminiUsage(fixture("gemini-stream.json"), google);
    expect(out).toEqual({
      usage: makeUsage({ inputTokens: 245, outputTokens: 752, reasoningTokens: 512, webSearches: 2 }),
      model: "gemini-2.5-flash",
      provider: "google",
    });
    expect(totalTokens(out.usage)).toBe(997);
  });

  it("accepts a bare usageMetadata", () => {
    const out = normalizeGeminiUsage(
      { promptTokenCount: 8, candidatesTokenCount: 2, totalTokenCount: 10 },
      google,
    );
    expect(out).toEqual({ usage: makeUsage({ inputTokens: 8, outputTokens: 2 }), provider: "google" });
  });

  it("rejects cached content above the prompt, bad counts, and bodies without usage", () => {
    expectInvalid(
      () =>
        normalizeGeminiUsage(
          { usageMetadata: { promptTokenCount: 10, cachedContentTokenCount: 11 } },
          google,
        ),
      "cachedContentTokenCount",
    );
    expectInvalid(
      () => normalizeGeminiUsage({ usageMetadata: { promptTokenCount: 1.25 } }, google),
      "response.usageMetadata.promptTokenCount",
    );
    expectInvalid(
      () =>
        normalizeGeminiUsage(
          {
            promptTokenCount: 10,
            promptTokensDetails: [{ modality: "AUDIO", tokenCount: -3 }],
          },
          google,
        ),
      "usageMetadata.promptTokensDetails.0.tokenCount",
    );
    expectInvalid(() => normalizeGeminiUsage({ candidates: [] }, google), "usageMetadata");
  });
});

describe("normalizeGeminiUsage: properties", () => {
  const n = fc.nat({ max: 2_000_000 });
  it("buckets sum to totalTokenCount; cache and thoughts never double counted", () => {
    fc.assert(
      fc.property(
        n,
        n,
        n,
        n,
        n,
        n,
        n,
        (text, cachedText, audio, cachedAudio, candidates, thoughts, toolUse) => {
          const prompt = text + cachedText + audio + cachedAudio;
          const total = prompt + candidates + thoughts + toolUse;
          const body = {
            modelVersion: "gemini-2.5-flash",
            usageMetadata: {
              promptTokenCount: prompt,
              cachedContentTokenCount: cachedText + cachedAudio,
              candidatesTokenCount: candidates,
              thoughtsTokenCount: thoughts,
              toolUsePromptTokenCount: toolUse,
              totalTokenCount: total,
              promptTokensDetails: [
                { modality: "TEXT", tokenCount: text + cachedText },
                { modality: "AUDIO", tokenCount: audio + cachedAudio },
              ],
              cacheTokensDetails: [
                { modality: "TEXT", tokenCount: cachedText },
                { modality: "AUDIO", tokenCount: cachedAudio },
              ],
            },
          };
          const { usage } = normalizeGeminiUsage(body, google);
          expectWellFormed(usage);
          expect(totalTokens(usage)).toBe(total);
          expect(usage.reasoningTokens).toBe(thoughts);
          expect(usage.outputTokens).toBe(candidates + thoughts);
          expectAgreesWithGenaiPrices("google", body, usage);
        },
      ),
      { numRuns: 200 },
    );
  });
});
