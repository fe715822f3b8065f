import { computeCost, makeUsage, type PriceVersion } from "@budget/core";
import { calcPrice, type PriceCalculation } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import { createBundledCatalog, loadBundledPrices } from "../sources/bundled.js";
import { matchNames } from "../sources/bundled-convert.js";
import { BUNDLED_PROVIDERS } from "../sources/bundled-providers.js";
import { generateOracleCases, toGenaiUsage } from "./oracle-cases.js";
import { EXCEPTIONS } from "./oracle-exceptions.js";

const { versions, models, notes } = loadBundledPrices();
const entries = new Map(models.map((m) => [`${m.provider}\u0000${m.model}`, m]));

/** Names genai-prices may know the model by: its id, then its match rule's literals. */
function genaiNames(v: PriceVersion): string[] {
  const entry = entries.get(`${v.provider}\u0000${v.model}`)!;
  const literals = entry ? [...entry.aliases, ...(entry.prefixes ?? [])] : [];
  const rule = modelInfo(v)?.match;
  const other = rule ? matchNames(rule).other.map((o) => Object.values(JSON.parse(o))[0]) : [];
  return [v.model, ...literals, ...other.filter((o): o is string => typeof o === "string")];
}

const infos = new Map<string, PriceCalculation["model"]>();
function modelInfo(v: PriceVersion): PriceCalculation["model"] | undefined {
  return infos.get(`${v.provider}\u0000${v.model}`);
}

/** genai-prices' result for the same model (by the first name it resolves to that model), or null. */
function theirs(v: PriceVersion, usage: ReturnType<typeof makeUsage>, at: number): PriceCalculation | null {
  for (const name of genaiNames(v)) {
    const res = calcPrice(toGenaiUsage(usage), name, { providerId: v.provider, timestamp: new Date(at) });
    if (res && res.model.id === v.model && res.provider.id === v.provider) {
      infos.set(`${v.provider}\u0000${v.model}`, res.model);
      return res;
    }
  }
  return null;
}

const nanoOf = (res: PriceCalculation) => res.total_price * 1e9;
const version = (provider: string, model: string) =>
  versions.find((v) => v.provider === provider && v.model === model)!;

describe("oracle: bundled cost equals genai-prices calcPrice", () => {
  it("agrees within one nano-USD on every generated case", () => {
    const cases = generateOracleCases(versions);
    const features = new Map<string, number>();
    const providers = new Set<string>();
    const mismatches: string[] = [];
    const unreachable = new Set<string>();
    const instants = new Set<number>();
    for (const c of cases) {
      const res = theirs(c.version, c.usage, c.at);
      if (!res) {
        unreachable.add(c.version.id);
        continue;
      }
      const ours = computeCost(c.version, c.usage, { at: c.at }).costNanoUsd;
      if (Math.abs(Number(ours) - nanoOf(res)) > 1) {
        const when = new Date(c.at).toISOString();
        mismatches.push(`${c.version.id} ${c.feature} at ${when}: ours ${ours}, theirs ${nanoOf(res)}`);
      }
      const feature = c.version.schedule ? "time_of_day" : c.feature;
      features.set(feature, (features.get(feature) ?? 0) + 1);
      instants.add(c.at % 86_400_000);
      providers.add(c.version.provider);
    }
    const compared = [...features.values()].reduce((a, b) => a + b, 0);
    console.info(
      `oracle: ${compared} cases compared`,
      Object.fromEntries(features),
      `${providers.size} providers`,
      `${instants.size} times of day`,
    );
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(2000);
    expect(instants.size).toBeGreaterThanOrEqual(8);
    // Every provider of the bundled data is compared.
    expect([...new Set(versions.map((v) => v.provider))].filter((p) => !providers.has(p))).toEqual([]);
    // Every model genai-prices can reach by one of its own names is compared.
    expect(unreachable.size).toBeLessThanOrEqual(2);
    for (const f of [
      "cache",
      "cache_1h",
      "reasoning",
      "audio",
      "long_context_tier",
      "web_search",
      "request",
      "time_of_day",
    ]) {
      expect(features.get(f) ?? 0, f).toBeGreaterThan(0);
    }
    expect(providers.size).toBeGreaterThan(30);
  });
});

describe("oracle exceptions", () => {
  const documented = (id: string) => expect(EXCEPTIONS.some((e) => e.id === id)).toBe(true);
  const usage = makeUsage({ inputTokens: 100_000, outputTokens: 20_000 });

  it("time-of-day prices: every model with time constraints has a schedule that matches at every hour", () => {
    const constrained = BUNDLED_PROVIDERS.flatMap((p) =>
      p.models
        .filter((m) => Array.isArray(m.prices) && m.prices.some((e) => e.constraint?.type === "time_of_date"))
        .map((m) => `${p.id}:${m.id}`),
    );
    expect(constrained.length).toBeGreaterThanOrEqual(4);
    const catalog = createBundledCatalog();
    const days = [Date.UTC(2025, 2, 1), Date.UTC(2026, 7, 20)];
    let compared = 0;
    for (const key of constrained) {
      const [provider, model] = key.split(":") as [string, string];
      expect(
        versions.filter((v) => v.provider === provider && v.model === model).every((v) => v.schedule),
      ).toBe(true);
      for (const day of days) {
        for (let minute = 0; minute < 24 * 60; minute += 15) {
          const at = day + minute * 60_000;
          const v = catalog.resolve({ provider, model, at })!;
          const ours = computeCost(v, usage, { at }).costNanoUsd;
          const res = calcPrice(toGenaiUsage(usage), model, {
            providerId: provider,
            timestamp: new Date(at),
          })!;
          expect(
            Math.abs(Number(ours) - nanoOf(res)),
            `${key} at ${new Date(at).toISOString()}`,
          ).toBeLessThanOrEqual(1);
          compared += 1;
        }
      }
    }
    expect(compared).toBe(constrained.length * days.length * 96);
    // DeepSeek chat at 10:00 UTC is at its standard rate, twice its 20:00 off-peak rate.
    const chat = catalog.resolve({
      provider: "deepseek",
      model: "deepseek-chat",
      at: Date.UTC(2025, 2, 1, 10),
    })!;
    const peak = computeCost(chat, usage, { at: Date.UTC(2025, 2, 1, 10) });
    const offPeak = computeCost(chat, usage, { at: Date.UTC(2025, 2, 1, 20) });
    expect(peak.costNanoUsd).toBe(2n * offPeak.costNanoUsd);
    expect(peak.timeWindow).toEqual({ startUtc: "00:30:00", endUtc: "16:30:00" });
    expect(offPeak.timeWindow).toBeNull();
    expect(() => computeCost(chat, usage)).toThrow(/instant/);
  });

  it("image output tokens are priced at their own rate (imageOutput), as genai-prices prices them", () => {
    const v = version("google", "gemini-2.5-flash-image");
    expect(notes).not.toContainEqual(
      expect.objectContaining({ model: v.model, detail: "output_image_mtok" }),
    );
    const usage = makeUsage({ inputTokens: 1000, outputTokens: 5, outputImageTokens: 1290 });
    const res = calcPrice(toGenaiUsage(usage), v.model, { providerId: "google" })!;
    const ours = computeCost(v, usage);
    expect(ours.breakdown.find((l) => l.component === "imageOutput")?.rate).toBe(v.tokenRates.imageOutput);
    expect(Number(ours.costNanoUsd)).toBeCloseTo(nanoOf(res), 0);
  });

  it("requests_counted: every request is charged, not just one per call", () => {
    documented("requests_counted");
    const v = version("perplexity", "sonar");
    const one = computeCost(v, makeUsage({ requests: 1 })).costNanoUsd;
    expect(one).toBeGreaterThan(0n);
    expect(computeCost(v, makeUsage({ requests: 3 })).costNanoUsd).toBe(3n * one);
    const res = calcPrice({ input_tokens: 0, requests: 3 }, "sonar", { providerId: "perplexity" })!;
    expect(nanoOf(res)).toBeCloseTo(Number(one), 0);
  });

  it("unrepresentable_match: a name only a contains rule accepts does not resolve", () => {
    documented("unrepresentable_match");
    const res = calcPrice({ input_tokens: 1000 }, "titan-text-express", { providerId: "aws" });
    expect(res?.model.id).toBe("amazon.titan-text-express-v1");
    const catalog = createBundledCatalog();
    expect(catalog.resolve({ provider: "aws", model: "titan-text-express", at: Date.now() })).toBeNull();
    expect(
      catalog.resolve({ provider: "aws", model: "amazon.titan-text-express-v1", at: Date.now() })?.model,
    ).toBe("amazon.titan-text-express-v1");
    expect(notes.filter((n) => n.kind === "unrepresentable_match").length).toBeGreaterThan(0);
  });

  it("batch_full_price: bundled versions have no batch multiplier", () => {
    documented("batch_full_price");
    expect(versions.every((v) => v.batchMultiplier === undefined)).toBe(true);
    const v = version("openai", "gpt-4o");
    expect(computeCost(v, usage, { batch: true }).costNanoUsd).toBe(computeCost(v, usage).costNanoUsd);
  });

  it("unpriced_flagged: output of an input-only model costs nothing but is flagged", () => {
    documented("unpriced_flagged");
    const v = version("aws", "amazon.titan-embed-text-v1");
    const ours = computeCost(v, usage);
    expect(ours.unpriced).toEqual(["output"]);
    expect(Number(ours.costNanoUsd)).toBeCloseTo(nanoOf(theirs(v, usage, Date.UTC(2025, 2, 1, 20))!), 0);
  });
});
