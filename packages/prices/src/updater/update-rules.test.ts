import {
  computeCost,
  createCatalog,
  createManualClock,
  createMemoryStore,
  createSequentialIds,
  makeUsage,
} from "@budget/core";
import { describe, expect, it } from "vitest";
import { loadFixture } from "../../test/fixture-server.js";
import { normalizeLitellm } from "../sources/litellm-normalize.js";
import { createManualSource } from "../sources/manual-source.js";
import type { PriceQuote, PriceSource } from "../sources/price-source.js";
import { priceHistory } from "./price-history.js";
import { createPriceUpdater } from "./price-updater.js";

/** A source whose quotes a test sets between runs. */
function fakeSource(id: string, trust: number) {
  let quotes: PriceQuote[] = [];
  const source: PriceSource & { set(input: string, output?: string): void } = {
    id,
    trust,
    fetch: async () => ({ sourceId: id, fetchedAt: 0, quotes }),
    set(input, output = "10") {
      quotes = [{ provider: "mistral", model: "a-1", tokenRates: { input, output }, unitRates: {} }];
    },
  };
  return source;
}

function setup(sources: PriceSource[]) {
  const store = createMemoryStore();
  const clock = createManualClock("2026-07-01T00:00:00Z");
  const updater = createPriceUpdater({ store, sources, clock, ids: createSequentialIds() });
  const run = async () => {
    clock.advance(1000);
    return updater.runOnce();
  };
  return { store, clock, updater, run };
}

describe("update rules", () => {
  it("applies a change two sources agree on (within tolerance), even a large one", async () => {
    const [a, b] = [fakeSource("a", 0.5), fakeSource("b", 0.5)];
    a.set("1");
    b.set("1");
    const { store, run } = setup([a, b]);
    expect((await run()).applied).toHaveLength(1);
    a.set("3");
    b.set("3.02");
    const report = await run();
    expect(report.applied[0]?.rule).toBe("2 sources agree");
    const versions = await store.listPriceVersions();
    expect(versions.map((v) => [v.tokenRates.input, v.effectiveTo === null])).toEqual([
      ["1", false],
      ["3", true],
    ]);
  });

  it("quarantines a conflict between sources as price_conflict", async () => {
    const [a, b] = [fakeSource("a", 0.5), fakeSource("b", 0.5)];
    a.set("1");
    b.set("1");
    const { store, run } = setup([a, b]);
    await run();
    a.set("2");
    const report = await run();
    expect(report.quarantined).toMatchObject([{ conflict: true }]);
    expect((await store.listAlerts({})).alerts.map((x) => x.type)).toContain("price_conflict");
  });

  it("lets one trusted source move a price within ±50%, not beyond; a rejected proposal stays rejected", async () => {
    const t = fakeSource("t", 0.9);
    t.set("1");
    const { store, run, updater } = setup([t]);
    await run();
    t.set("1.4");
    expect((await run()).applied[0]?.rule).toBe("trusted source within bounds");
    t.set("3");
    const report = await run();
    expect(report.applied).toEqual([]);
    const id = report.quarantined[0]!.pendingId;
    await updater.reject(id);
    expect((await run()).quarantined[0]?.repeated).toBe(true);
    expect(await store.listPendingPriceChanges({ status: "pending" })).toEqual([]);
    const history = await priceHistory(store, { model: "a-1" });
    expect(
      history.entries.map((e) => [e.version.tokenRates.input, e.changes.map((c) => c.changePct)]),
    ).toEqual([
      ["1", []],
      ["1.4", [40]],
    ]);
    expect(history.pending.map((p) => p.status)).toEqual(["rejected"]);
  });

  it("applies manual overrides outright and keeps other sources from overwriting them", async () => {
    const t = fakeSource("t", 0.9);
    t.set("1");
    const manual = createManualSource();
    const { store, run } = setup([t, manual]);
    await run();
    manual.set({
      provider: "mistral",
      model: "a-1",
      tokenRates: { input: "9", output: "10" },
      unitRates: {},
    });
    expect((await run()).applied[0]).toMatchObject({ source: "manual", rule: "override" });
    manual.remove("mistral", "a-1");
    const report = await run();
    expect(report.overridden).toBe(1);
    const inForce = (await store.listPriceVersions()).filter((v) => v.effectiveTo === null);
    expect(inForce.map((v) => [v.source, v.tokenRates.input])).toEqual([["manual", "9"]]);
  });
});

describe("an update replaces a version whole", () => {
  const feedOf = (snapshot: string) => {
    const raw = loadFixture(`litellm-${snapshot}.json.gz`) as Record<string, unknown>;
    return normalizeLitellm("litellm", { "ft:davinci-002": raw["ft:davinci-002"] }).quotes;
  };
  const source = (quotes: () => PriceQuote[], partialFields?: string[]): PriceSource => ({
    id: "litellm",
    trust: 0.9,
    ...(partialFields ? { partialFields } : {}),
    fetch: async () => ({ sourceId: "litellm", fetchedAt: 0, quotes: quotes() }),
  });

  it("drops the batch multiplier the new quote no longer carries (ft:davinci-002, LiteLLM 2025-07 → 2026-01)", async () => {
    let snapshot = "2025-07";
    const { store, run, updater } = setup([source(() => feedOf(snapshot))]);
    await run();
    const [first] = await store.listPriceVersions();
    expect(first).toMatchObject({ provider: "openai", model: "ft:davinci-002", batchMultiplier: "0.5" });
    snapshot = "2026-01";
    const report = await run();
    // ×6 and a removed batch discount: held for approval, then applied whole.
    expect(report.quarantined[0]?.changes.map((c) => [c.field, c.to])).toEqual([
      ["batchMultiplier", null],
      ["tokenRates.input", "12"],
      ["tokenRates.output", "12"],
    ]);
    const v = await updater.approve(report.quarantined[0]!.pendingId);
    expect(v.batchMultiplier).toBeUndefined();
    expect(v.tokenRates).toEqual({ input: "12", output: "12" });
    const usage = makeUsage({ inputTokens: 1_000_000 });
    expect(computeCost(v, usage, { batch: true }).costNanoUsd).toBe(12_000_000_000n);
  });

  it("removes a token rate the quote no longer carries, unless the source is partial for it", async () => {
    let rates: PriceQuote["tokenRates"] = { input: "1", output: "2", cacheRead: "0.1" };
    const quote = (): PriceQuote[] => [
      { provider: "mistral", model: "m-1", tokenRates: rates, unitRates: {} },
    ];
    const whole = setup([source(quote)]);
    await whole.run();
    rates = { input: "1", output: "2" };
    const removed = await whole.run();
    expect(removed.quarantined[0]?.changes).toMatchObject([{ field: "tokenRates.cacheRead", to: null }]);
    const partial = setup([source(quote, ["tokenRates.cacheRead"])]);
    rates = { input: "1", output: "2", cacheRead: "0.1" };
    await partial.run();
    rates = { input: "1.2", output: "2" };
    const kept = await partial.run();
    expect(kept.applied[0]?.changes.map((c) => c.field)).toEqual(["tokenRates.input"]);
    const inForce = (await partial.store.listPriceVersions()).find((v) => v.effectiveTo === null);
    expect(inForce?.tokenRates).toEqual({ input: "1.2", output: "2", cacheRead: "0.1" });
  });
});

describe("removals are changes", () => {
  const two = (): PriceQuote[] => [
    { provider: "mistral", model: "m-1", tokenRates: { input: "1", output: "2" }, unitRates: {} },
    { provider: "mistral", model: "m-2", tokenRates: { input: "3", output: "4" }, unitRates: {} },
    ...Array.from({ length: 8 }, (_, i) => ({
      provider: "mistral",
      model: `keep-${i}`,
      tokenRates: { input: "1", output: "1" },
      unitRates: {},
    })),
  ];
  const feed = (quotes: () => PriceQuote[]): PriceSource => ({
    id: "feed",
    trust: 0.9,
    fetch: async () => ({ sourceId: "feed", fetchedAt: 0, quotes: quotes() }),
  });

  it("reports a dropped model, alerts, and by default holds its closing for approval", async () => {
    let quotes = two();
    const { store, run, updater, clock } = setup([feed(() => quotes)]);
    await run();
    const before = clock.now();
    quotes = quotes.filter((q) => q.model !== "m-2");
    const report = await run();
    expect(report.removed).toMatchObject([{ sourceId: "feed", model: "m-2", action: "quarantined" }]);
    expect(
      (await store.listAlerts({})).alerts.some((a) => a.message.includes("m-2: removed from feed")),
    ).toBe(true);
    expect((await run()).removed).toEqual([]); // reported once per disappearance
    const pending = await store.listPendingPriceChanges({ status: "pending" });
    expect(pending.map((p) => [p.model, p.evidence.kind])).toEqual([["m-2", "removal"]]);
    await updater.approve(pending[0]!.id);
    const m2 = (await store.listPriceVersions({ model: "m-2" }))[0]!;
    expect(m2.effectiveTo).toBe(clock.now());
    // Costs before the close keep their version; after it the model is unpriced, never free.
    const catalog = createCatalog({ versions: await store.listPriceVersions() });
    expect(catalog.resolve({ provider: "mistral", model: "m-2", at: before })?.id).toBe(m2.id);
    expect(catalog.resolve({ provider: "mistral", model: "m-2", at: clock.now() })).toBeNull();
  });

  it("closes at once with onRemoved: close, keeps with keep", async () => {
    for (const onRemoved of ["close", "keep"] as const) {
      let quotes = two();
      const store = createMemoryStore();
      const clock = createManualClock("2026-07-01T00:00:00Z");
      const updater = createPriceUpdater({
        store,
        sources: [feed(() => quotes)],
        clock,
        ids: createSequentialIds(),
        policy: { onRemoved },
      });
      await updater.runOnce();
      quotes = quotes.filter((q) => q.model !== "m-2");
      clock.advance(1000);
      const report = await updater.runOnce();
      expect(report.removed[0]?.action).toBe(onRemoved === "close" ? "closed" : "kept");
      const m2 = (await store.listPriceVersions({ model: "m-2" }))[0]!;
      expect(m2.effectiveTo).toBe(onRemoved === "close" ? clock.now() : null);
    }
  });
});

describe("bulk decisions", () => {
  it("approves or rejects every pending change of a source, a provider or a run at once", async () => {
    const quotes = (input: string): PriceQuote[] =>
      ["a", "b", "c"].map((m) => ({
        provider: m === "c" ? "openai" : "mistral",
        model: `bulk-${m}`,
        tokenRates: { input, output: "1" },
        unitRates: {},
      }));
    let current = quotes("1");
    const src: PriceSource = {
      id: "low",
      trust: 0.5,
      fetch: async () => ({ sourceId: "low", fetchedAt: 0, quotes: current }),
    };
    const { store, run, updater } = setup([src]);
    const first = await run();
    expect(first.quarantined).toHaveLength(3); // new models from one untrusted source
    const byProvider = await updater.decideMany("rejected", { provider: "openai" });
    expect(byProvider.ids).toHaveLength(1);
    const byRun = await updater.decideMany("approved", { runId: first.runId, sourceId: "low" });
    expect(byRun.ids).toHaveLength(2);
    expect((await store.listPriceVersions()).map((v) => v.model).sort()).toEqual(["bulk-a", "bulk-b"]);
    expect(await store.listPendingPriceChanges({ status: "pending" })).toEqual([]);
    current = quotes("2");
    await run();
    expect((await updater.decideMany("approved", {})).ids.length).toBeGreaterThan(0);
  });
});

describe("new models go through the rules", () => {
  it("quarantines a new model at $0 even from a trusted source", async () => {
    const quotes: PriceQuote[] = [
      { provider: "mistral", model: "free-1", tokenRates: { input: "0", output: "0" }, unitRates: {} },
      { provider: "mistral", model: "paid-1", tokenRates: { input: "1", output: "2" }, unitRates: {} },
    ];
    const src: PriceSource = {
      id: "t",
      trust: 0.9,
      fetch: async () => ({ sourceId: "t", fetchedAt: 0, quotes }),
    };
    const report = await setup([src]).run();
    expect(report.applied.map((a) => a.model)).toEqual(["paid-1"]);
    expect(report.quarantined).toMatchObject([{ model: "free-1", reason: expect.stringMatching(/\$0/) }]);
  });
});
