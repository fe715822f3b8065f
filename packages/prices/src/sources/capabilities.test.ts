import {
  checkCapabilities,
  createManualClock,
  createMemoryStore,
  createSequentialIds,
  modelCapabilitiesSchema,
} from "@budget/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureServer, loadFixture, startFixtureServer } from "../../test/fixture-server.js";
import { createPriceUpdater } from "../updater/price-updater.js";
import { loadBundledPrices } from "./bundled.js";
import { createLitellmSource } from "./litellm-source.js";
import { createOpenRouterSource, normalizeOpenRouter } from "./openrouter-source.js";

type Raw = Record<string, Record<string, unknown>>;
let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer({
    "/litellm": loadFixture("litellm-2026-07.json.gz"),
    "/models": loadFixture("openrouter-models-2026-07.json.gz"),
  });
});
afterAll(() => server.close());

describe("capabilities the sources publish", () => {
  it("LiteLLM: every quote's capabilities restate its entry's own fields, unknown left out", async () => {
    const raw = loadFixture("litellm-2026-07.json.gz") as Raw;
    const snap = await createLitellmSource({ url: server.url("/litellm") }).fetch();
    // The first key naming each (provider, model), as the normalizer keeps it.
    const first = new Map<string, Record<string, unknown>>();
    for (const [k, e] of Object.entries(raw)) {
      const p = e?.litellm_provider;
      const model = typeof p === "string" && k.startsWith(`${p}/`) ? k.slice(p.length + 1) : k;
      if (!first.has(`${p}|${model}`)) first.set(`${p}|${model}`, e);
    }
    let withCaps = 0;
    for (const q of snap.quotes) {
      const e = first.get(`${q.provider}|${q.model}`) as Record<string, unknown>;
      const c = q.capabilities;
      if (c) {
        withCaps += 1;
        modelCapabilitiesSchema.parse(c);
      }
      // Read back independently of the mapping table: each flag is the entry's boolean or absent.
      expect(c?.tools).toBe(
        typeof e.supports_function_calling === "boolean" ? e.supports_function_calling : undefined,
      );
      expect(c?.reasoning).toBe(typeof e.supports_reasoning === "boolean" ? e.supports_reasoning : undefined);
      expect(c?.input?.image).toBe(
        Array.isArray(e.supported_modalities)
          ? e.supported_modalities.includes("image")
          : typeof e.supports_vision === "boolean"
            ? e.supports_vision
            : undefined,
      );
      const ctx = e.max_input_tokens;
      expect(c?.contextWindow).toBe(
        typeof ctx === "number" && Number.isInteger(ctx) && ctx > 0 ? ctx : undefined,
      );
    }
    expect(withCaps).toBeGreaterThan(2000);
    const gpt4o = snap.quotes.find((q) => q.provider === "openai" && q.model === "gpt-4o");
    expect(gpt4o?.capabilities).toMatchObject({
      contextWindow: 128000,
      maxOutputTokens: 16384,
      tools: true,
      promptCaching: true,
      batch: true,
      input: { image: true, pdf: true },
    });
    // Nothing published about reasoning for gpt-4o: unknown, so a requirement on it fails as unknown.
    expect(gpt4o?.capabilities?.reasoning).toBeUndefined();
    expect(checkCapabilities(gpt4o?.capabilities, { capabilities: ["tools", "reasoning"] })).toEqual({
      ok: false,
      missing: [],
      unknown: ["reasoning"],
    });
  });

  it("OpenRouter: context length and max completion tokens; absent lists stay unknown", async () => {
    const snap = await createOpenRouterSource({ url: server.url("/models") }).fetch();
    const haiku = snap.quotes.find((q) => q.provider === "anthropic" && q.model === "claude-3-haiku");
    expect(haiku?.capabilities).toEqual({ contextWindow: 200000, maxOutputTokens: 4096 });
    const listed = normalizeOpenRouter("openrouter", {
      data: [
        {
          id: "acme/m",
          context_length: 1000,
          architecture: { input_modalities: ["text", "image"], output_modalities: ["text"] },
          supported_parameters: ["tools", "max_tokens"],
          pricing: { prompt: "0.000001", completion: "0.000002", input_cache_read: "0.0000001" },
        },
      ],
    });
    expect(listed.quotes[0]?.capabilities).toEqual({
      contextWindow: 1000,
      tools: true,
      reasoning: false,
      structuredOutput: false,
      webSearch: false,
      promptCaching: true,
      input: { text: true, image: true, audio: false, video: false },
      output: { text: true, image: false, audio: false, video: false },
    });
  });

  it("bundled: the context window and, where a cache-read price exists, prompt caching", () => {
    const { versions } = loadBundledPrices();
    const sonnet = versions.find((v) => v.provider === "anthropic" && v.model === "claude-3-5-sonnet");
    expect(sonnet?.capabilities).toEqual({ contextWindow: 200000, promptCaching: true });
    for (const v of versions) if (v.capabilities) modelCapabilitiesSchema.parse(v.capabilities);
    expect(versions.some((v) => v.capabilities === undefined)).toBe(true);
  });

  it("the updater stores capabilities on the versions it makes", async () => {
    const store = createMemoryStore();
    const clock = createManualClock("2026-07-25T00:00:00Z");
    const source = createLitellmSource({ url: server.url("/litellm"), clock });
    const updater = createPriceUpdater({ store, sources: [source], clock, ids: createSequentialIds() });
    await updater.runOnce();
    const [v] = await store.listPriceVersions({ provider: "openai", model: "gpt-4o" });
    expect(v?.capabilities?.tools).toBe(true);
    expect(v?.capabilities?.contextWindow).toBe(128000);
  });
});
