import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeUsage, totalTokens } from "../usage.js";
import { detectAiSdkUsageVersion, normalizeAiSdkUsage } from "./ai-sdk.js";
import { expectInvalid, expectWellFormed, fixture } from "./test-support.js";

describe("normalizeAiSdkUsage", () => {
  it("detects the version by shape", () => {
    expect(detectAiSdkUsageVersion(fixture("ai-sdk-v2.json"))).toBe("v2");
    expect(detectAiSdkUsageVersion(fixture("ai-sdk-v3.json"))).toBe("v3");
    expect(detectAiSdkUsageVersion(fixture("ai-sdk-v6.json"))).toBe("v6");
  });

  it("v2: takes cachedInputTokens out of inputTokens", () => {
    const out = normalizeAiSdkUsage(fixture("ai-sdk-v2.json"));
    expect(out).toEqual({ usage: makeUsage({ inputTokens: 86, cacheReadTokens: 1920, outputTokens: 300 }) });
    expect(totalTokens(out.usage)).toBe(2306);
  });

  it("v2: adds reasoning to output only when totalTokens shows it was reported on top", () => {
    const out = normalizeAiSdkUsage(fixture("ai-sdk-v2-google-reasoning.json"));
    expect(out.usage).toEqual(
      makeUsage({ inputTokens: 1760, cacheReadTokens: 10240, outputTokens: 1800, reasoningTokens: 1380 }),
    );
    expect(totalTokens(out.usage)).toBe(13800);
    const inside = { inputTokens: 75, outputTokens: 1186, totalTokens: 1261, reasoningTokens: 1024 };
    expect(normalizeAiSdkUsage(inside).usage).toEqual(
      makeUsage({ inputTokens: 75, outputTokens: 1186, reasoningTokens: 1024 }),
    );
  });

  it("v2: input without cache (AI SDK 5 Anthropic) when told so", () => {
    const raw = { inputTokens: 45, outputTokens: 503, totalTokens: 548, cachedInputTokens: 188086 };
    expectInvalid(() => normalizeAiSdkUsage(raw), "usage.cachedInputTokens");
    expect(normalizeAiSdkUsage(raw, { inputIncludesCache: false }).usage).toEqual(
      makeUsage({ inputTokens: 45, cacheReadTokens: 188086, outputTokens: 503 }),
    );
  });

  it("v3: maps noCache, cacheRead and cacheWrite to their buckets", () => {
    const out = normalizeAiSdkUsage(fixture("ai-sdk-v3.json"));
    expect(out.usage).toEqual(
      makeUsage({ inputTokens: 12, cacheReadTokens: 1600, cacheWriteTokens: 4508, outputTokens: 640 }),
    );
    expect(totalTokens(out.usage)).toBe(6120 + 640);
  });

  it("v3: derives missing totals from the parts", () => {
    const out = normalizeAiSdkUsage({
      inputTokens: { total: undefined, noCache: 10, cacheRead: 5, cacheWrite: undefined },
      outputTokens: { total: undefined, text: 7, reasoning: 3 },
    });
    expect(out.usage).toEqual(
      makeUsage({ inputTokens: 10, cacheReadTokens: 5, outputTokens: 10, reasoningTokens: 3 }),
    );
  });

  it("AI SDK 6 LanguageModelUsage: reads the detail objects", () => {
    const out = normalizeAiSdkUsage(fixture("ai-sdk-v6.json"));
    expect(out.usage).toEqual(
      makeUsage({ inputTokens: 1232, cacheReadTokens: 2048, outputTokens: 912, reasoningTokens: 640 }),
    );
    expect(totalTokens(out.usage)).toBe(4192);
  });

  it("rejects inconsistent or malformed counts", () => {
    expectInvalid(
      () =>
        normalizeAiSdkUsage({
          inputTokens: { total: 100, noCache: 50, cacheRead: 110, cacheWrite: 0 },
          outputTokens: { total: 1 },
        }),
      "usage.inputTokens.total",
    );
    expectInvalid(
      () =>
        normalizeAiSdkUsage({
          inputTokens: { total: 100, noCache: 50, cacheRead: 40, cacheWrite: 0 },
          outputTokens: { total: 1 },
        }),
      "usage.inputTokens.noCache",
    );
    expectInvalid(
      () => normalizeAiSdkUsage({ inputTokens: { total: -1 }, outputTokens: {} }),
      "usage.inputTokens.total",
    );
    expectInvalid(() => normalizeAiSdkUsage({ inputTokens: 1.5, outputTokens: 1 }), "usage.inputTokens");
    expectInvalid(() => normalizeAiSdkUsage("12"), "ai-sdk usage");
  });
});

describe("normalizeAiSdkUsage: properties", () => {
  const n = fc.nat({ max: 2_000_000 });
  it("v3 and v6: buckets sum to the reported totals; reasoning stays inside output", () => {
    fc.assert(
      fc.property(n, n, n, n, n, (noCache, read, write, text, reasoning) => {
        const inTotal = noCache + read + write;
        const outTotal = text + reasoning;
        const v3 = normalizeAiSdkUsage({
          inputTokens: { total: inTotal, noCache, cacheRead: read, cacheWrite: write },
          outputTokens: { total: outTotal, text, reasoning },
        }).usage;
        const v6 = normalizeAiSdkUsage({
          inputTokens: inTotal,
          inputTokenDetails: { noCacheTokens: noCache, cacheReadTokens: read, cacheWriteTokens: write },
          outputTokens: outTotal,
          outputTokenDetails: { textTokens: text, reasoningTokens: reasoning },
          totalTokens: inTotal + outTotal,
        }).usage;
        expectWellFormed(v3);
        expect(totalTokens(v3)).toBe(inTotal + outTotal);
        expect(v6).toEqual(v3);
      }),
      { numRuns: 200 },
    );
  });

  it("v2: buckets sum to totalTokens whether reasoning is reported inside or on top of output", () => {
    fc.assert(
      fc.property(n, n, n, n, fc.boolean(), (uncached, cached, text, reasoning, onTop) => {
        const input = uncached + cached;
        const output = onTop ? text : text + reasoning;
        const total = uncached + cached + text + reasoning;
        const { usage } = normalizeAiSdkUsage({
          inputTokens: input,
          outputTokens: output,
          totalTokens: total,
          reasoningTokens: reasoning,
          cachedInputTokens: cached,
        });
        expectWellFormed(usage);
        expect(totalTokens(usage)).toBe(total);
        expect(usage.reasoningTokens).toBe(reasoning);
      }),
      { numRuns: 200 },
    );
  });
});
