import { priceVersionSchema } from "@budget/core";
import type { Provider } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import { createBundledCatalog, loadBundledPrices } from "./bundled.js";
import { convertGenaiProviders } from "./bundled-convert.js";
import { BUNDLED_PROVIDERS } from "./bundled-providers.js";

const provider: Provider = {
  id: "acme",
  name: "Acme",
  api_pattern: "acme",
  model_match: { starts_with: "acme-" },
  models: [
    {
      id: "acme-1",
      match: {
        or: [{ equals: "acme-1" }, { equals: "Acme-One" }, { starts_with: "acme-1-" }, { contains: "a1" }],
      },
      context_window: 1000,
      prices: [
        { prices: { input_mtok: 0.3, output_mtok: 1.2, requests_kcount: 5, web_searches_kcount: 10 } },
        { constraint: { type: "start_date", start_date: "2025-06-01" }, prices: { input_mtok: 0.1 } },
        { constraint: { type: "time_of_date", start_time: "01:00:00Z", end_time: "02:00:00Z" }, prices: {} },
      ],
    },
    { id: "acme-free", match: { equals: "acme-free" }, prices: {} },
    {
      id: "acme-long",
      match: { equals: "acme-long" },
      prices: { input_mtok: { base: 1.25, tiers: [{ start: 200000, price: 2.5 }] }, input_video_mtok: 1 },
    },
  ],
};

describe("convertGenaiProviders", () => {
  const out = convertGenaiProviders([provider]);

  it("turns start-date prices into successive effective-dated versions", () => {
    const june = Date.UTC(2025, 5, 1);
    expect(
      out.versions.filter((v) => v.model === "acme-1").map((v) => [v.id, v.effectiveFrom, v.effectiveTo]),
    ).toEqual([
      ["bundled:acme:acme-1:1970-01-01", 0, june],
      ["bundled:acme:acme-1:2025-06-01", june, null],
    ]);
  });

  it("turns time-of-day prices into a UTC schedule on every version they reach", () => {
    const windows = out.versions.filter((v) => v.model === "acme-1").map((v) => v.schedule);
    const window = {
      startUtc: "01:00:00",
      endUtc: "02:00:00",
      tokenRates: { input: "0", output: "0" },
      unitRates: {},
    };
    expect(windows).toEqual([[window], [window]]);
  });

  it("converts numbers exactly and per-thousand counts to per-unit rates", () => {
    const v = out.versions[0]!;
    expect(v.tokenRates).toEqual({ input: "0.3", output: "1.2" });
    expect(v.unitRates).toEqual({ request: "0.005", webSearch: "0.01" });
    expect(out.versions.find((x) => x.model === "acme-long")?.tokenRates.input).toEqual({
      base: "1.25",
      tiers: [{ startTokens: 200000, price: "2.5" }],
    });
    for (const version of out.versions) expect(priceVersionSchema.parse(version)).toEqual(version);
  });

  it("excludes models priced at $0 throughout and malformed ids, listing them", () => {
    const more = convertGenaiProviders([
      {
        ...provider,
        models: [
          ...provider.models,
          { id: "acme-ft-", match: { starts_with: "acme-ft-" }, prices: { input_mtok: 1 } },
          { id: "acme-zero", match: { equals: "acme-zero" }, prices: { input_mtok: 0, output_mtok: 0 } },
        ],
      },
    ]);
    expect(more.excluded).toEqual([
      { provider: "acme", model: "acme-free", reason: "zero_price" },
      { provider: "acme", model: "acme-ft-", reason: "malformed_id" },
      { provider: "acme", model: "acme-zero", reason: "zero_price" },
    ]);
    const kept = new Set([...more.versions, ...more.models].map((x) => x.model));
    expect([...kept].sort()).toEqual(["acme-1", "acme-long"]);
  });

  it("maps equals to aliases and starts_with to prefixes, noting what it cannot represent", () => {
    expect(out.models[0]).toEqual({
      provider: "acme",
      model: "acme-1",
      aliases: ["acme-one"],
      prefixes: ["acme-1-"],
      contextWindow: 1000,
    });
    expect(out.notes.map((n) => [n.model, n.kind])).toEqual([
      ["acme-1", "unrepresentable_match"],
      ["acme-long", "unsupported_price_key"],
    ]);
  });
});

/** Every price a genai-prices price object (or our rates) holds, tier start thresholds aside. */
function priceNumbers(value: unknown, key = ""): number[] {
  if (key === "start" || key === "startTokens") return [];
  if (typeof value === "number" || typeof value === "string") return [Number(value)];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => priceNumbers(v, k));
}

describe("bundled exclusions", () => {
  // Computed here from the raw genai-prices data, independently of the converter.
  const expected: { provider: string; model: string; reason: string }[] = [];
  for (const p of BUNDLED_PROVIDERS) {
    for (const m of p.models) {
      const last = m.id.at(-1) ?? "";
      const prices = Array.isArray(m.prices) ? m.prices.map((e) => e.prices) : [m.prices];
      if (!/[a-z0-9]/i.test(last) || /\s/.test(m.id)) {
        expected.push({ provider: p.id, model: m.id, reason: "malformed_id" });
      } else if (priceNumbers(prices).every((n) => n === 0)) {
        expected.push({ provider: p.id, model: m.id, reason: "zero_price" });
      }
    }
  }
  const key = (x: { provider: string; model: string }) => `${x.provider}/${x.model}`;
  const sorted = <T extends { provider: string; model: string }>(xs: T[]) =>
    [...xs].sort((a, b) => key(a).localeCompare(key(b)));

  it("list exactly the $0 and malformed entries of the bundled data, and why", () => {
    const { excluded } = loadBundledPrices();
    const malformed = excluded.filter((x) => x.reason === "malformed_id").map(key);
    console.info(
      `bundled exclusions: ${excluded.length} (${excluded.length - malformed.length} zero_price), malformed:`,
      malformed,
    );
    expect(sorted(excluded)).toEqual(sorted(expected));
    expect(expected).toContainEqual({ provider: "github-copilot", model: "gpt-4o", reason: "zero_price" });
    expect(expected).toContainEqual({
      provider: "openai",
      model: "gpt-4o-mini-2024-07-18.ft-",
      reason: "malformed_id",
    });
  });

  it("leave no version or model entry behind, so excluded names resolve as unknown", () => {
    const { versions, models, excluded, notes } = loadBundledPrices();
    const gone = new Set(excluded.map(key));
    expect(versions.filter((v) => gone.has(key(v))).map((v) => v.id)).toEqual([]);
    expect(models.filter((m) => gone.has(key(m))).map(key)).toEqual([]);
    const at = Date.UTC(2025, 2, 1);
    expect(createBundledCatalog().resolve({ provider: "github-copilot", model: "gpt-4o", at })).toBeNull();
    // No bundled version is free throughout any more; one with no rate at all is priced only in
    // units Budget does not meter (pages, minutes), and its conversion note says so.
    const rates = (v: (typeof versions)[number]) => priceNumbers([v.tokenRates, v.unitRates]);
    const free = versions.filter((v) => rates(v).length > 0 && rates(v).every((n) => n === 0));
    expect(free.map((v) => v.id)).toEqual([]);
    const noted = new Set(notes.filter((n) => n.kind === "unsupported_price_key").map(key));
    const rateless = versions.filter((v) => rates(v).length === 0);
    expect(rateless.filter((v) => !noted.has(key(v))).map((v) => v.id)).toEqual([]);
  });
});

describe("bundled prices", () => {
  it("load every genai-prices provider into valid versions with unique ids", () => {
    const { versions, models } = loadBundledPrices();
    expect(new Set(versions.map((v) => v.provider)).size).toBeGreaterThan(30);
    expect(new Set(versions.map((v) => v.id)).size).toBe(versions.length);
    expect(models.length).toBeGreaterThan(1000);
    for (const v of versions.slice(0, 200)) priceVersionSchema.parse(v);
  });

  it("resolve common names through the bundled catalog", () => {
    const catalog = createBundledCatalog();
    const at = Date.UTC(2025, 2, 1);
    const id = (provider: string | undefined, model: string) => catalog.resolve({ provider, model, at })?.id;
    expect(id(undefined, "claude-3-5-sonnet-20241022")).toBe(
      "bundled:anthropic:claude-3-5-sonnet:1970-01-01",
    );
    expect(id(undefined, "gpt-4o-2024-08-06")).toMatch(/^bundled:openai:gpt-4o/);
    expect(id("bedrock", "us.anthropic.claude-3-5-sonnet-20241022-v2:0")).toMatch(/^bundled:aws:/);
    expect(id("vertex_ai", "claude-3-5-sonnet-v2@20241022")).toBe(
      "bundled:google:claude-3-5-sonnet:1970-01-01",
    );
    expect(id(undefined, "no-such-model-anywhere")).toBeUndefined();
  });
});
