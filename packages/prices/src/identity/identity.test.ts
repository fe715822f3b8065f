import { createManualClock, createMemoryStore, createSequentialIds, type MemoryCatalog } from "@budget/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureServer, loadFixture, startFixtureServer } from "../../test/fixture-server.js";
import { createLitellmSource } from "../sources/litellm-source.js";
import type { PriceQuote } from "../sources/price-source.js";
import { loadStoreCatalog } from "../sources/store-catalog.js";
import { createPriceUpdater } from "../updater/price-updater.js";
import { priceFields, rateKey } from "../updater/rate-fields.js";
import type { UpdateReport } from "../updater/update-report.js";
import { canonicalizeQuotes } from "./canonicalize-quotes.js";
import { identityCatalog } from "./identity-catalog.js";

let server: FixtureServer;
let report: UpdateReport;
let before: MemoryCatalog;
let after: MemoryCatalog;
let quotes: PriceQuote[];
const clock = createManualClock("2026-07-25T00:00:00Z");

beforeAll(async () => {
  server = await startFixtureServer({ "/feed": loadFixture("litellm-2026-07.json.gz") });
  const store = createMemoryStore();
  before = (await loadStoreCatalog(store)).catalog; // seeds the bundled versions
  const source = createLitellmSource({ url: server.url("/feed"), clock });
  quotes = (await source.fetch()).quotes;
  // LiteLLM trusted enough that every change applies: this test is about identity, not the rules.
  const policy = { trustedMinTrust: 0.8, trustedMaxChange: 1e9 };
  const updater = createPriceUpdater({ store, sources: [source], clock, ids: createSequentialIds(), policy });
  report = await updater.runOnce();
  for (const q of report.quarantined) await updater.approve(q.pendingId);
  after = (await loadStoreCatalog(store)).catalog;
});
afterAll(() => server.close());

const fields = (q: { tokenRates: object; unitRates: object }) =>
  [...priceFields(q as PriceQuote)].map(([f, r]) => `${f}=${rateKey(r)}`);

describe("one identity for a model across sources (bundled seed + LiteLLM 2026-07)", () => {
  it("stores LiteLLM prices under the catalog's provider ids, never LiteLLM's spellings", () => {
    const providers = new Set(
      after
        .versions()
        .filter((v) => v.source === "litellm")
        .map((v) => v.provider),
    );
    for (const spelling of [
      "gemini",
      "xai",
      "bedrock",
      "bedrock_converse",
      "azure_ai",
      "vertex_ai-language-models",
    ]) {
      expect(providers.has(spelling), spelling).toBe(false);
    }
    expect([...providers]).toEqual(expect.arrayContaining(["google", "x-ai", "aws", "azure", "mistral"]));
    expect(report.sources[0]?.unmapped).toEqual({ count: 0, sample: [] });
  });

  it("every LiteLLM price that maps to a catalog model is the one its names resolve to (0 unreached)", () => {
    const dropped = new Set(report.sources[0]?.dropped.map((d) => `${d.provider}\u0000${d.model}`));
    const losers = new Set(report.sources[0]?.duplicates?.flatMap((d) => d.dropped));
    const unreached: string[] = [];
    let mappedToCatalog = 0;
    let checked = 0;
    const identity = identityCatalog(before.versions());
    for (const q of quotes) {
      const name = q.aliases?.[0] ?? q.model;
      if (losers.has(`${q.provider}/${q.model}`) || losers.has(name)) continue;
      const canonical = canonicalizeQuotes([q], identity).quotes[0]!;
      if (dropped.has(`${canonical.provider}\u0000${canonical.model}`)) continue;
      if (before.identify(canonical.provider, canonical.model)) mappedToCatalog += 1;
      const v = after.resolve({ provider: q.provider, model: name, at: clock.now() });
      const wanted = fields(q);
      const got = v ? fields(v) : [];
      checked += 1;
      // The version in force carries every price the feed quotes (the bundled one when they agree).
      if (!v || wanted.some((f) => !got.includes(f))) unreached.push(`${q.provider}/${name} → ${v?.id}`);
    }
    console.info(
      `identity: ${checked} LiteLLM prices checked, ${mappedToCatalog} onto bundled models, ${unreached.length} unreached`,
    );
    expect(mappedToCatalog).toBeGreaterThan(400);
    expect(unreached.slice(0, 40)).toEqual([]);
  });

  it("mistral-large-latest is priced at LiteLLM's price, not the bundled alias's", () => {
    const v = after.resolve({ provider: "mistral", model: "mistral-large-latest", at: clock.now() })!;
    const q = quotes.find((x) => x.provider === "mistral" && x.model === "mistral-large-latest")!;
    expect(v.source).toBe("litellm");
    expect(v.tokenRates.input).toBe(q.tokenRates.input);
  });
});

describe("canonicalizeQuotes", () => {
  const catalog = identityCatalog([]);
  const q = (provider: string, model: string, input = "1"): PriceQuote => ({
    provider,
    model,
    tokenRates: { input, output: "2" },
    unitRates: {},
  });

  it("reports a provider it cannot map (count and sample), and stores nothing under it", () => {
    const out = canonicalizeQuotes(
      [q("zz-invented", "m1"), q("zz-invented", "m2"), q("xai", "grok-3")],
      catalog,
    );
    expect(out.unmapped).toEqual({ count: 2, sample: ["zz-invented/m1", "zz-invented/m2"] });
    expect(out.quotes.map((x) => `${x.provider}/${x.model}`)).toEqual(["x-ai/grok-3"]);
  });

  it("maps a name onto the model it resolves to, unless the feed quotes that model's id too", () => {
    const alone = canonicalizeQuotes([q("openai", "gpt-4o-2024-08-06", "2.5")], catalog);
    expect(alone.quotes.map((x) => [x.model, x.aliases])).toEqual([["gpt-4o", ["gpt-4o-2024-08-06"]]]);
    const out = canonicalizeQuotes(
      [q("openai", "gpt-4o-2024-08-06", "9"), q("openai", "gpt-4o", "2.5"), q("openai", "GPT-4o", "3")],
      catalog,
    );
    // The dated id the feed quotes beside gpt-4o stays its own model; a second spelling of the id is dropped.
    expect(out.quotes.map((x) => [x.model, x.tokenRates.input])).toEqual([
      ["gpt-4o", "2.5"],
      ["gpt-4o-2024-08-06", "9"],
    ]);
    expect(out.duplicates).toEqual([
      {
        provider: "openai",
        model: "gpt-4o",
        kept: "openai/gpt-4o",
        dropped: ["openai/GPT-4o"],
        split: ["openai/gpt-4o-2024-08-06"],
        conflicting: true,
      },
    ]);
  });

  it("accepts declared providers, and any provider from a source that declares them", () => {
    expect(canonicalizeQuotes([q("my-vllm", "m")], catalog, { providers: ["my-vllm"] }).quotes).toHaveLength(
      1,
    );
    expect(
      canonicalizeQuotes([q("Bedrock", "m")], catalog, { declaresProviders: true }).quotes[0]?.provider,
    ).toBe("aws");
  });
});
