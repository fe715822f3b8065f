import { priceVersionSchema } from "@budget/core";
import type { Provider } from "@pydantic/genai-prices";
import { describe, expect, it } from "vitest";
import { createBundledCatalog, loadBundledPrices } from "./bundled.js";
import { convertGenaiProviders } from "./bundled-convert.js";

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

  it("prices free models at zero instead of leaving them unpriced", () => {
    expect(out.versions.find((v) => v.model === "acme-free")?.tokenRates).toEqual({
      input: "0",
      output: "0",
    });
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
