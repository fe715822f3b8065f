import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureServer, loadFixture, startFixtureServer } from "../../test/fixture-server.js";
import { diffCatalog } from "../updater/diff-catalog.js";
import { createLitellmSource } from "./litellm-source.js";
import { createOpenRouterSource } from "./openrouter-source.js";
import type { PriceQuote } from "./price-source.js";

const SNAPSHOTS = ["2025-07", "2026-01", "2026-07"] as const;
type Raw = Record<string, Record<string, unknown>>;

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
  for (const s of SNAPSHOTS) server.set(`/litellm-${s}.json`, loadFixture(`litellm-${s}.json.gz`));
  server.set("/models", loadFixture("openrouter-models-2026-07.json.gz"));
});
afterAll(() => server.close());

const fetchSnapshot = (s: string) => createLitellmSource({ url: server.url(`/litellm-${s}.json`) }).fetch();

/** Independent reading of the raw file: model identity → raw entry (first key wins, like LiteLLM lookups). */
function rawModels(raw: Raw): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const [key, e] of Object.entries(raw)) {
    if (
      key === "sample_spec" ||
      typeof e !== "object" ||
      e === null ||
      typeof e.litellm_provider !== "string"
    )
      continue;
    const hasTokenPrice = Object.keys(e).some((f) =>
      [
        "input_cost_per_token",
        "output_cost_per_token",
        "cache_read_input_token_cost",
        "cache_creation_input_token_cost",
        "cache_creation_input_token_cost_above_1hr",
        "output_cost_per_reasoning_token",
        "input_cost_per_audio_token",
        "cache_read_input_audio_token_cost",
        "output_cost_per_audio_token",
        "tiered_pricing",
      ].includes(f),
    );
    const provider = e.litellm_provider;
    const model = key.split("/")[0] === provider ? key.slice(provider.length + 1) : key;
    const id = `${provider}|${model}`;
    if (
      (hasTokenPrice && Array.isArray(e.tiered_pricing)
        ? e.tiered_pricing.some((t) => "range" in t)
        : hasTokenPrice) &&
      !out.has(id)
    )
      out.set(id, e);
  }
  return out;
}

describe("LiteLLM source on real snapshots", () => {
  it.each(SNAPSHOTS)("loads %s with every priced model", async (s) => {
    const snap = await fetchSnapshot(s);
    const expected = rawModels(loadFixture(`litellm-${s}.json.gz`) as Raw);
    expect(snap.quotes.length).toBe(expected.size);
    expect(snap.quotes.length).toBeGreaterThan(1000);
    expect(new Set(snap.quotes.map((q) => `${q.provider}|${q.model}`))).toEqual(new Set(expected.keys()));
  });

  it("converts per-token numbers to exact per-million decimals, tiers and cache", async () => {
    const snap = await fetchSnapshot("2026-07");
    const q = snap.quotes.find((x) => x.provider === "anthropic" && x.model === "claude-sonnet-4-20250514")!;
    expect(q.tokenRates).toEqual({
      input: { base: "3", tiers: [{ startTokens: 200000, price: "6" }] },
      output: { base: "15", tiers: [{ startTokens: 200000, price: "22.5" }] },
      cacheRead: { base: "0.3", tiers: [{ startTokens: 200000, price: "0.6" }] },
      cacheWrite: { base: "3.75", tiers: [{ startTokens: 200000, price: "7.5" }] },
      cacheWrite1h: "6",
    });
    expect(q.unitRates.webSearch).toBe("0.01");
    const gpt = snap.quotes.find((x) => x.provider === "openai" && x.model === "gpt-4.1")!;
    expect(gpt.batchMultiplier).toBe("0.5");
    // Every converted price equals the raw number × 10^6, checked through a different route (toFixed on a scaled string).
    const raw = loadFixture("litellm-2026-07.json.gz") as Raw;
    for (const quote of snap.quotes) {
      const key = quote.aliases?.[0] ?? quote.model;
      const e = raw[key] ?? raw[quote.model];
      const input = e?.input_cost_per_token;
      if (typeof input === "number" && typeof quote.tokenRates.input === "string") {
        // Shifting the decimal point back by text must give the very same double.
        expect(Number(`${quote.tokenRates.input}e-6`)).toBe(input);
        expect(quote.tokenRates.input).toMatch(/^\d+(\.\d+)?$/);
      }
    }
  });

  it("diffs 2025-07 → 2026-01 → 2026-07 exactly as an independent computation from the raw JSON", async () => {
    for (const [a, b] of [
      ["2025-07", "2026-01"],
      ["2026-01", "2026-07"],
    ] as const) {
      const [from, to] = [await fetchSnapshot(a), await fetchSnapshot(b)];
      const diff = diffCatalog(
        from.quotes.map((q, i) => asVersion(q, i)),
        to.quotes,
      );
      const rawA = rawModels(loadFixture(`litellm-${a}.json.gz`) as Raw);
      const rawB = rawModels(loadFixture(`litellm-${b}.json.gz`) as Raw);
      const added = [...rawB.keys()].filter((k) => !rawA.has(k));
      const removed = [...rawA.keys()].filter((k) => !rawB.has(k));
      expect(diff.added.length).toBe(added.length);
      expect(diff.removed.length).toBe(removed.length);
      expect(new Set(diff.added.map((q) => `${q.provider}|${q.model}`))).toEqual(new Set(added));
      // Changed input/output prices, on models without long-context tiers (their rate is an object).
      const flat = (e: Record<string, unknown>) =>
        !Object.keys(e).some((f) => f.includes("_above_") || f === "tiered_pricing");
      const expected = new Set<string>();
      const pct = new Map<string, number>();
      for (const [id, eb] of rawB) {
        const ea = rawA.get(id);
        if (!ea || !flat(ea) || !flat(eb)) continue;
        for (const [f, name] of [
          ["input_cost_per_token", "input"],
          ["output_cost_per_token", "output"],
        ] as const) {
          if (ea[f] !== eb[f]) {
            expected.add(`${id}|${name}`);
            if (typeof ea[f] === "number" && typeof eb[f] === "number" && ea[f] !== 0) {
              pct.set(`${id}|${name}`, ((eb[f] - ea[f]) / ea[f]) * 100);
            }
          }
        }
      }
      const flatIds = new Set(
        [...rawB].filter(([id, e]) => flat(e) && rawA.get(id) && flat(rawA.get(id)!)).map(([id]) => id),
      );
      const got = diff.changed.filter(
        (c) =>
          (c.field === "tokenRates.input" || c.field === "tokenRates.output") &&
          flatIds.has(`${c.provider}|${c.model}`),
      );
      expect(new Set(got.map((c) => `${c.provider}|${c.model}|${c.field.slice(11)}`))).toEqual(expected);
      expect(expected.size).toBeGreaterThan(0);
      for (const c of got) {
        const p = pct.get(`${c.provider}|${c.model}|${c.field.slice(11)}`);
        if (p !== undefined) expect(c.changePct).toBeCloseTo(p, 4);
      }
    }
  });
});

describe("OpenRouter source", () => {
  it("agrees with LiteLLM's openrouter/* entries of July 2026 on input and output", async () => {
    const or = await createOpenRouterSource({ url: server.url("/models") }).fetch();
    const lite = await fetchSnapshot("2026-07");
    const liteByModel = new Map(
      lite.quotes.filter((q) => q.provider === "openrouter").map((q) => [q.model, q]),
    );
    let compared = 0;
    for (const q of or.quotes) {
      const id = `${q.provider}/${q.model}`;
      const l = liteByModel.get(id);
      if (!l) continue;
      compared += 1;
      // OpenRouter publishes no long-context tiers: the base prices are what must agree.
      const mine = [baseOf(q.tokenRates.input), baseOf(q.tokenRates.output), baseOf(q.tokenRates.cacheRead)];
      const theirs = [
        baseOf(l.tokenRates.input),
        baseOf(l.tokenRates.output),
        baseOf(l.tokenRates.cacheRead),
      ];
      expect([id, ...mine]).toEqual([id, ...theirs]);
    }
    expect(compared).toBeGreaterThan(85);
    // "-1" (variable) is not a price: openrouter/auto has none, and its duplicate id is reported.
    expect(or.quotes.find((q) => q.model === "auto")).toBeUndefined();
    expect(or.skipped?.map((s) => s.reason)).toContain("duplicate id with other prices");
    expect(or.quotes.find((q) => q.model === "free")?.tokenRates).toEqual({ input: "0", output: "0" });
  });

  it("agrees with LiteLLM's first-party entries where OpenRouter resells at list price", async () => {
    const or = await createOpenRouterSource({ url: server.url("/models") }).fetch();
    const lite = await fetchSnapshot("2026-07");
    const direct = new Map(lite.quotes.map((q) => [`${q.provider}|${q.model}`, q]));
    const pairs = or.quotes.flatMap((q) => {
      const d = direct.get(`${q.provider}|${q.model}`);
      return d ? [[q, d] as const] : [];
    });
    const agree = pairs.filter(([a, b]) => baseOf(a.tokenRates.input) === baseOf(b.tokenRates.input));
    expect(pairs.map(([a]) => a.model)).toContain("gpt-4o");
    expect(agree.length / pairs.length).toBeGreaterThan(0.8);
  });
});

function baseOf(rate: PriceQuote["tokenRates"]["input"]): string | undefined {
  return typeof rate === "object" ? rate.base : rate;
}

function asVersion(q: PriceQuote, i: number) {
  return { id: `v${i}`, ...q, effectiveFrom: 0, effectiveTo: null, source: "litellm" };
}
