import { describe, expect, it } from "vitest";
import type { ModelEntry, PriceVersion } from "../price/price.js";
import { createCatalog } from "./create-catalog.js";

const T0 = Date.UTC(2025, 0, 1);
const T1 = Date.UTC(2025, 5, 1);

function v(provider: string, model: string, input: string, from = 0, to: number | null = null): PriceVersion {
  return {
    id: `test:${provider}:${model}:${from}`,
    provider,
    model,
    tokenRates: { input, output: "1" },
    unitRates: {},
    effectiveFrom: from,
    effectiveTo: to,
    source: "test",
  };
}

const versions = [
  v("anthropic", "claude-3-5-sonnet", "3"),
  v("anthropic", "claude-3-opus-20240229", "15"),
  v("openai", "gpt-4o", "2.5"),
  v("openai", "gpt-4o-2024-05-13", "5"),
  v("openai", "gpt-4o-mini", "0.15"),
  v("openai", "o3", "10", 0, T1),
  v("openai", "o3", "2", T1),
  v("aws", "claude-3-5-sonnet", "3.3"),
  v("google", "claude-3-5-sonnet", "3.1"),
  v("openrouter", "anthropic/claude-3.5-sonnet", "3.2"),
  v("mistral", "mistral-large-2411", "2"),
];
const models: ModelEntry[] = [
  { provider: "openai", model: "gpt-4o", aliases: ["gpt-4o-omni"], prefixes: ["gpt-4o-2024-"] },
  { provider: "openai", model: "gpt-4o-mini", aliases: [], prefixes: ["gpt-4o-mini-2024-"] },
  { provider: "mistral", model: "mistral-large-2411", aliases: ["mistral-large-latest"] },
];
const catalog = createCatalog({ versions, models });
const input = (provider: string | undefined, model: string, at = T0) => {
  const hit = catalog.resolve({ provider, model, at });
  return hit ? `${hit.provider}:${hit.tokenRates.input}` : null;
};

describe("createCatalog resolution", () => {
  it("resolves exact ids and aliases, case-insensitively", () => {
    expect(input(undefined, "gpt-4o")).toBe("openai:2.5");
    expect(input(undefined, "GPT-4o")).toBe("openai:2.5");
    expect(input(undefined, " gpt-4o-omni ")).toBe("openai:2.5");
    expect(input(undefined, "mistral-large-latest")).toBe("mistral:2");
  });

  it("prefers an exact dated id over its undated model", () => {
    expect(input(undefined, "gpt-4o-2024-05-13")).toBe("openai:5");
  });

  it("resolves dated ids to the undated model, but never guesses -latest", () => {
    expect(input(undefined, "claude-3-5-sonnet-20241022")).toBe("anthropic:3");
    expect(input(undefined, "claude-3-5-sonnet-latest")).toBeNull();
    expect(input(undefined, "gpt-4o-2024-08-06")).toBe("openai:2.5");
    expect(input(undefined, "gpt-4o-mini-2024-07-18")).toBe("openai:0.15");
  });

  it("resolves registered prefixes, longest first", () => {
    expect(input(undefined, "gpt-4o-2024-11-20-preview")).toBe("openai:2.5");
    expect(input(undefined, "gpt-4o-mini-2024-99")).toBe("openai:0.15");
  });

  it("strips provider and gateway prefixes", () => {
    expect(input(undefined, "anthropic/claude-3-5-sonnet-20241022")).toBe("anthropic:3");
    expect(input(undefined, "openai/gpt-4o")).toBe("openai:2.5");
    expect(input(undefined, "azure/gpt-4o")).toBeNull();
    expect(input(undefined, "openrouter/anthropic/claude-3.5-sonnet")).toBe("openrouter:3.2");
    expect(input(undefined, "openrouter/anthropic/claude-3-5-sonnet")).toBe("anthropic:3");
  });

  it("prefers the named provider, through provider aliases and prefixes", () => {
    expect(input("aws", "claude-3-5-sonnet")).toBe("aws:3.3");
    expect(input("bedrock", "claude-3-5-sonnet")).toBe("aws:3.3");
    expect(input(undefined, "bedrock/claude-3-5-sonnet")).toBe("aws:3.3");
    expect(input("vertex_ai", "claude-3-5-sonnet@20241022")).toBe("google:3.1");
    expect(input(undefined, "vertex_ai/claude-3-5-sonnet-v2@20241022")).toBe("google:3.1");
  });

  it("never falls back to another provider's price by itself", () => {
    expect(input("azure", "gpt-4o")).toBeNull();
    expect(input("azure_ai", "gpt-4o")).toBeNull();
    expect(input("zz-evil", "gpt-4o")).toBeNull();
    expect(input(undefined, "zz-evil/gpt-4o")).toBeNull();
    expect(input("openai", "claude-3-5-sonnet")).toBeNull();
  });

  it("resolves Bedrock region, vendor and version affixes", () => {
    expect(input("bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0")).toBe("aws:3.3");
    expect(input("bedrock", "us.anthropic.claude-3-5-sonnet-20241022-v2:0")).toBe("aws:3.3");
    for (const region of ["eu", "apac", "global"]) {
      expect(input(undefined, `bedrock/${region}.anthropic.claude-3-5-sonnet-20241022-v2:0`)).toBe("aws:3.3");
    }
    // A Bedrock id names Bedrock: it is not priced at the vendor's own price.
    expect(input(undefined, "anthropic.claude-3-opus-20240229-v1:0")).toBeNull();
    expect(input(undefined, "us.anthropic.claude-3-5-sonnet-20241022-v2:0")).toBe("aws:3.3");
  });

  it("returns null for unknown models", () => {
    expect(input(undefined, "no-such-model")).toBeNull();
    expect(input("openai", "gpt-5-unknown")).toBeNull();
  });
});

describe("createCatalog alias rules and explanations", () => {
  const ruled = createCatalog({
    versions,
    models,
    aliasRules: [
      { provider: "azure_ai", model: "gpt-4o*", to: { provider: "openai" } },
      { model: "claude-3-5-sonnet-latest", to: { provider: "anthropic", model: "claude-3-5-sonnet" } },
      { model: "points-nowhere", to: { provider: "openai", model: "no-such" } },
    ],
  });

  it("resolves cross-provider and -latest names only through a declared rule", () => {
    expect(ruled.resolve({ provider: "azure", model: "gpt-4o-mini", at: T0 })?.id).toBe(
      "test:openai:gpt-4o-mini:0",
    );
    expect(ruled.resolve({ model: "azure/gpt-4o", at: T0 })?.id).toBe("test:openai:gpt-4o:0");
    expect(ruled.resolve({ model: "claude-3-5-sonnet-latest", at: T0 })?.provider).toBe("anthropic");
    expect(ruled.resolve({ provider: "aws", model: "gpt-4o", at: T0 })).toBeNull();
    expect(ruled.resolve({ model: "points-nowhere", at: T0 })).toBeNull();
  });

  it("says what a name resolves to and why", () => {
    const dated = ruled.explain({ model: "claude-3-5-sonnet-20241022", at: T0 });
    expect(dated).toMatchObject({ found: { provider: "anthropic", model: "claude-3-5-sonnet" }, rule: "id" });
    expect(dated.steps).toContain("date_suffix");
    expect(dated.reason).toMatch(/date suffix removed.*model id/);
    const alias = ruled.explain({ provider: "mistral", model: "mistral-large-latest", at: T0 });
    expect(alias).toMatchObject({ rule: "alias", matched: "mistral-large-latest" });
    const rule = ruled.explain({ provider: "azure_ai", model: "gpt-4o", at: T0 });
    expect(rule).toMatchObject({ provider: "azure", rule: "alias_rule", matched: "gpt-4o*" });
    expect(rule.version?.id).toBe("test:openai:gpt-4o:0");
    const unknown = ruled.explain({ provider: "azure", model: "llama-405b", at: T0 });
    expect(unknown).toMatchObject({ found: null, version: null, rule: null });
    expect(unknown.reason).toMatch(/unknown model: azure lists no model/);
    const unpriced = ruled.explain({ model: "o3", at: -1 });
    expect(unpriced.found).toEqual({ provider: "openai", model: "o3" });
    expect(unpriced.reason).toMatch(/no price in force/);
  });
});

describe("createCatalog effective dating", () => {
  it("applies effectiveFrom inclusively and effectiveTo exclusively", () => {
    expect(input(undefined, "o3", T1 - 1)).toBe("openai:10");
    expect(input(undefined, "o3", T1)).toBe("openai:2");
  });

  it("returns null before the first version and after a closed last one", () => {
    const c = createCatalog({ versions: [v("x", "m", "1", T0, T1)] });
    expect(c.resolve({ model: "m", at: T0 - 1 })).toBeNull();
    expect(c.resolve({ model: "m", at: T0 })?.id).toBe(`test:x:m:${T0}`);
    expect(c.resolve({ model: "m", at: T1 })).toBeNull();
  });

  it("adds versions without changing the original catalog, and finds versions by id", () => {
    const next = catalog.withVersions([v("openai", "gpt-4o", "1.25", T1)]);
    expect(next.resolve({ model: "gpt-4o", at: T1 })?.tokenRates.input).toBe("1.25");
    expect(next.resolve({ model: "gpt-4o", at: T0 })?.tokenRates.input).toBe("2.5");
    expect(catalog.resolve({ model: "gpt-4o", at: T1 })?.tokenRates.input).toBe("2.5");
    expect(next.getVersion(`test:openai:gpt-4o:${T1}`)?.tokenRates.input).toBe("1.25");
    expect(catalog.getVersion("missing")).toBeNull();
    expect(next.versions()).toHaveLength(versions.length + 1);
  });
});
