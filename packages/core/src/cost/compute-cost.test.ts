import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDecimal, normalize, parseDecimal } from "../money/decimal.js";
import type { PriceVersion } from "../price/price.js";
import { addUsage, makeUsage, USAGE_FIELDS, type Usage } from "../usage/usage.js";
import { computeCost, computeCostNanoUsd } from "./compute-cost.js";

function version(partial: Partial<PriceVersion>): PriceVersion {
  return {
    id: "v1",
    provider: "anthropic",
    model: "claude-test",
    tokenRates: {},
    unitRates: {},
    effectiveFrom: 0,
    effectiveTo: null,
    source: "manual",
    ...partial,
  };
}

const sonnet = version({
  tokenRates: { input: "3", output: "15", cacheRead: "0.3", cacheWrite: "3.75", cacheWrite1h: "6" },
  unitRates: { webSearch: "0.01" },
  batchMultiplier: "0.5",
});
const tiered = version({
  id: "tiered",
  tokenRates: {
    input: { base: "1.25", tiers: [{ startTokens: 200_000, price: "2.5" }] },
    output: { base: "10", tiers: [{ startTokens: 200_000, price: "15" }] },
    cacheRead: "0.31",
    reasoning: "12",
  },
});

describe("computeCost", () => {
  it("prices each bucket at its rate", () => {
    const r = computeCost(sonnet, makeUsage({ inputTokens: 1000, outputTokens: 500, cacheReadTokens: 2000 }));
    // 1000*3 + 500*15 + 2000*0.3 per million = 0.003 + 0.0075 + 0.0006
    expect(r.costNanoUsd).toBe(11_100_000n);
    expect(r.breakdown.map((l) => [l.component, l.usd])).toEqual([
      ["input", "0.003"],
      ["cacheRead", "0.0006"],
      ["output", "0.0075"],
    ]);
    expect(r.unpriced).toEqual([]);
  });

  it("prices 5-minute and 1-hour cache writes and web searches", () => {
    const r = computeCost(
      sonnet,
      makeUsage({ cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 1_000_000, webSearches: 3 }),
    );
    expect(r.costNanoUsd).toBe(9_780_000_000n);
  });

  it("falls back to the nearest more general rate when a bucket has none", () => {
    const noCache = version({ tokenRates: { input: "2", output: "8" } });
    const r = computeCost(
      noCache,
      makeUsage({ cacheReadTokens: 1e6, cacheWrite1hTokens: 1e6, reasoningTokens: 1e6, outputTokens: 1e6 }),
    );
    expect(r.costNanoUsd).toBe(12_000_000_000n);
    expect(r.breakdown.find((l) => l.component === "cacheWrite1h")?.rate).toBe("2");
  });

  it("lists buckets with no applicable rate as unpriced, never silently charging them", () => {
    const outputOnly = version({ tokenRates: { output: "8" } });
    const r = computeCost(outputOnly, makeUsage({ inputTokens: 10, outputTokens: 1e6, inputImages: 2 }));
    expect(r.costNanoUsd).toBe(8_000_000_000n);
    expect(r.unpriced).toEqual(["input", "inputImage"]);
  });

  it("prices reasoning once, at the reasoning rate where one exists", () => {
    const r = computeCost(tiered, makeUsage({ outputTokens: 1e6, reasoningTokens: 400_000 }));
    expect(r.costNanoUsd).toBe(10_800_000_000n); // 600k * 10 + 400k * 12
  });

  it("applies a tier only when input-side tokens strictly exceed its start", () => {
    const at = computeCost(
      tiered,
      makeUsage({ inputTokens: 199_000, cacheReadTokens: 1000, outputTokens: 1e6 }),
    );
    expect(at.tierStartTokens).toBeNull();
    expect(at.costNanoUsd).toBe(10_249_060_000n);
    const over = computeCost(
      tiered,
      makeUsage({ inputTokens: 199_001, cacheReadTokens: 1000, outputTokens: 1e6 }),
    );
    expect(over.tierStartTokens).toBe(200_000);
    expect(over.costNanoUsd).toBe(15_497_812_500n); // tier applies to the whole field
  });

  it("scales by the batch multiplier for batch requests", () => {
    const u = makeUsage({ inputTokens: 1e6, outputTokens: 1e6 });
    expect(computeCost(sonnet, u, { batch: true }).costNanoUsd).toBe(9_000_000_000n);
    // No batchMultiplier: full price (and 1M input-side tokens is past the 200k tier).
    expect(computeCost(tiered, u, { batch: true }).costNanoUsd).toBe(17_500_000_000n);
  });

  it("rounds the exact total once, half-up", () => {
    const tiny = version({ tokenRates: { input: "0.0000005", output: "0.0000015" } });
    // 1 token at 0.0000005/M = 5e-13 USD -> 0 nano; 1000 tokens = 5e-10 -> 1 nano (half-up)
    expect(computeCost(tiny, makeUsage({ inputTokens: 1 })).costNanoUsd).toBe(0n);
    expect(computeCost(tiny, makeUsage({ inputTokens: 1000 })).costNanoUsd).toBe(1n);
    expect(computeCost(tiny, makeUsage({ inputTokens: 999 })).costNanoUsd).toBe(0n);
  });

  it("rejects reasoning beyond output", () => {
    expect(() => computeCost(sonnet, makeUsage({ reasoningTokens: 2, outputTokens: 1 }))).toThrow(/subset/);
  });
});

const usageArb = (max: number) =>
  fc
    .record({
      inputTokens: fc.nat(max),
      cacheReadTokens: fc.nat(max),
      cacheWriteTokens: fc.nat(max),
      cacheWrite1hTokens: fc.nat(max),
      outputTokens: fc.nat(max),
      inputAudioTokens: fc.nat(max),
      cacheAudioReadTokens: fc.nat(max),
      outputAudioTokens: fc.nat(max),
      webSearches: fc.nat(20),
      requests: fc.nat(5),
      reasoningShare: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ reasoningShare, ...u }): Usage => {
      return makeUsage({ ...u, reasoningTokens: Math.floor(u.outputTokens * reasoningShare) });
    });

const oddRates = version({
  id: "odd",
  tokenRates: {
    input: "0.0375",
    output: "0.15",
    cacheRead: "0.00875",
    inputAudio: "3.4",
    outputAudio: "13.6",
  },
  unitRates: { webSearch: "0.025", request: "0.0004" },
});
const exactSum = (a: string, b: string) => {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const s = Math.max(x.scale, y.scale);
  return formatDecimal(
    normalize({
      units: x.units * 10n ** BigInt(s - x.scale) + y.units * 10n ** BigInt(s - y.scale),
      scale: s,
    }),
  );
};

describe("computeCost properties", () => {
  it("is monotone in each bucket (tiers included)", () => {
    fc.assert(
      fc.property(usageArb(300_000), fc.constantFrom(...USAGE_FIELDS), fc.nat(100_000), (u, field, extra) => {
        if (field === "reasoningTokens") return;
        const more = { ...u, [field]: u[field] + extra };
        for (const p of [sonnet, tiered, oddRates]) {
          expect(computeCost(p, more).costNanoUsd >= computeCost(p, u).costNanoUsd).toBe(true);
        }
      }),
    );
  });

  it("is additive before rounding, and a sum's cost is within one nano per event of the summed costs", () => {
    fc.assert(
      fc.property(fc.array(usageArb(50_000), { minLength: 1, maxLength: 8 }), (events) => {
        const total = events.reduce(addUsage);
        for (const p of [sonnet, oddRates]) {
          const parts = events.map((e) => computeCost(p, e));
          const whole = computeCost(p, total);
          const exact = parts.map((r) => formatDecimal(r.exact)).reduce(exactSum);
          expect(formatDecimal(whole.exact)).toBe(exact);
          const summed = parts.reduce((s, r) => s + r.costNanoUsd, 0n);
          const diff = whole.costNanoUsd - summed;
          expect((diff < 0n ? -diff : diff) <= BigInt(events.length)).toBe(true);
        }
      }),
    );
  });

  it("charges exactly the total of its breakdown's computation (computeCostNanoUsd)", () => {
    fc.assert(
      fc.property(usageArb(300_000), fc.boolean(), (u, batch) => {
        for (const p of [sonnet, tiered, oddRates])
          expect(computeCostNanoUsd(p, u, { batch })).toBe(computeCost(p, u, { batch }).costNanoUsd);
      }),
    );
  });

  it("is exact for integer-cent rates", () => {
    const cents = version({ tokenRates: { input: "1", output: "2" }, unitRates: { webSearch: "0.01" } });
    fc.assert(
      fc.property(fc.nat(10_000), fc.nat(10_000), fc.nat(100), (mIn, mOut, searches) => {
        const u = makeUsage({ inputTokens: mIn * 1e6, outputTokens: mOut * 1e6, webSearches: searches });
        const cost = computeCost(cents, u).costNanoUsd;
        expect(cost).toBe(
          BigInt(mIn) * 1_000_000_000n + BigInt(mOut) * 2_000_000_000n + BigInt(searches) * 10_000_000n,
        );
      }),
    );
  });
});

describe("computeCost time-of-day schedules", () => {
  const day = Date.UTC(2025, 2, 1);
  const at = (h: number, m = 0, s = 0) => day + ((h * 60 + m) * 60 + s) * 1000;
  const offPeak = version({
    id: "sched",
    tokenRates: { input: "1", output: "2" },
    batchMultiplier: "0.5",
    schedule: [
      { startUtc: "16:30", endUtc: "00:30", tokenRates: { input: "0.5", output: "1" }, unitRates: {} },
      {
        startUtc: "08:00:00",
        endUtc: "09:00:00",
        tokenRates: { input: "4" },
        unitRates: { request: "0.01" },
      },
    ],
  });
  const usage = makeUsage({ inputTokens: 1_000_000, outputTokens: 1_000_000 });

  it("uses the window containing the instant's UTC time, start inclusive, end exclusive", () => {
    expect(computeCost(offPeak, usage, { at: at(12) }).costNanoUsd).toBe(3_000_000_000n);
    expect(computeCost(offPeak, usage, { at: at(16, 29, 59) }).timeWindow).toBeNull();
    expect(computeCost(offPeak, usage, { at: at(16, 30) }).costNanoUsd).toBe(1_500_000_000n);
    // Wraps past midnight.
    expect(computeCost(offPeak, usage, { at: at(0, 29, 59) }).costNanoUsd).toBe(1_500_000_000n);
    expect(computeCost(offPeak, usage, { at: at(0, 30) }).costNanoUsd).toBe(3_000_000_000n);
    expect(computeCost(offPeak, usage, { at: at(16, 30) }).timeWindow).toEqual({
      startUtc: "16:30",
      endUtc: "00:30",
    });
  });

  it("replaces the rates whole inside a window (no fallback to the version's own rates)", () => {
    const r = computeCost(offPeak, usage, { at: at(8, 15) });
    expect(r.costNanoUsd).toBe(4_010_000_000n);
    expect(r.unpriced).toEqual(["output"]);
  });

  it("keeps the version's batch multiplier inside windows, and the same total without breakdown", () => {
    const r = computeCost(offPeak, usage, { at: at(20), batch: true });
    expect(r.costNanoUsd).toBe(750_000_000n);
    expect(computeCostNanoUsd(offPeak, usage, { at: at(20), batch: true })).toBe(750_000_000n);
  });

  it("refuses to price a scheduled version without an instant", () => {
    expect(() => computeCost(offPeak, usage)).toThrow(/instant/);
    expect(() => computeCostNanoUsd(offPeak, usage, { at: Number.NaN })).toThrow(/instant/);
    expect(computeCost(sonnet, usage).timeWindow).toBeNull();
  });
});

describe("computeCost counts", () => {
  it("rejects negative, fractional and unsafe counts", () => {
    for (const bad of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      for (const field of ["inputTokens", "requests", "webSearches"] as const) {
        const usage = { ...makeUsage({}), [field]: bad };
        expect(() => computeCost(sonnet, usage), `${field}=${bad}`).toThrow(/non-negative integer/);
        expect(() => computeCostNanoUsd(sonnet, usage)).toThrow(/non-negative integer/);
      }
    }
  });
});
