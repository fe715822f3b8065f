import {
  createManualClock,
  createMemoryStore,
  createSequentialIds,
  type PriceVersion,
  type Store,
} from "@budget/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FixtureServer,
  hugeBody,
  loadFixture,
  neverAnswers,
  startFixtureServer,
} from "../../test/fixture-server.js";
import { createLitellmSource } from "../sources/litellm-source.js";
import { createPriceUpdater, type PriceUpdater } from "./price-updater.js";

type Raw = Record<string, Record<string, unknown>>;
const MB = 1024 * 1024;

let server: FixtureServer;
let store: Store;
let updater: PriceUpdater;
const clock = createManualClock("2026-07-25T00:00:00Z");
let baseline: PriceVersion[];

const feed = () => loadFixture("litellm-2026-07.json.gz") as Raw;
const sorted = (vs: PriceVersion[]) => [...vs].sort((a, b) => a.id.localeCompare(b.id));

beforeAll(async () => {
  server = await startFixtureServer({ "/feed": feed() });
  store = createMemoryStore();
  const source = createLitellmSource({ url: server.url("/feed"), timeoutMs: 1_000, maxBytes: 8 * MB, clock });
  updater = createPriceUpdater({ store, sources: [source], clock, ids: createSequentialIds() });
  const report = await updater.runOnce();
  expect(report.rejected, JSON.stringify(report.rejected)).toEqual([]);
  // New models at $0 (local and free models) are held; approved here in one bulk decision.
  const zero = report.quarantined.filter((q) => q.reason.includes("$0"));
  expect(zero.length).toBe(report.quarantined.length);
  expect((await updater.decideMany("approved", { runId: report.runId })).ids).toHaveLength(zero.length);
  baseline = sorted(await store.listPriceVersions());
});
afterAll(() => server.close());

/** Serves `route` as the feed, runs the updater, and returns the report. */
async function runWith(route: unknown) {
  server.set("/feed", route);
  clock.advance(3_600_000);
  return updater.runOnce();
}

describe("price updater on the real LiteLLM feed", () => {
  it("loads the July 2026 feed as versions, dropping the few absurd entries", async () => {
    expect(baseline.length).toBeGreaterThan(2400);
    const report = await runWith(feed());
    expect(report.applied).toEqual([]);
    expect(report.sources[0]?.dropped.some((d) => d.provider === "wandb")).toBe(true);
    expect(
      baseline.find((v) => v.model === "deepseek-ai/DeepSeek-R1-0528" && v.provider === "wandb"),
    ).toBeUndefined();
    expect(
      baseline.every(
        (v) =>
          Number(
            typeof v.tokenRates.output === "object" ? v.tokenRates.output.base : (v.tokenRates.output ?? 0),
          ) <= 10_000,
      ),
    ).toBe(true);
    const gpt4o = baseline.find((v) => v.provider === "openai" && v.model === "gpt-4o");
    expect(gpt4o?.tokenRates.input).toBe("2.5");
    expect(gpt4o?.effectiveTo).toBeNull();
  });

  it("quarantines a 10× price with its evidence, applies nothing", async () => {
    const raw = feed();
    raw["gpt-4o"]!.input_cost_per_token = 0.000025;
    const report = await runWith(raw);
    expect(report.applied).toEqual([]);
    expect(report.quarantined).toHaveLength(1);
    // The batch price no longer is a fixed share of the new input price: the multiplier goes too.
    expect(report.quarantined[0]?.changes.map((c) => c.field)).toEqual([
      "batchMultiplier",
      "tokenRates.input",
    ]);
    expect(report.quarantined[0]?.changes[1]).toMatchObject({
      field: "tokenRates.input",
      from: "2.5",
      to: "25",
      changePct: 900,
    });
    const pending = await store.listPendingPriceChanges({ status: "pending" });
    expect(pending.map((p) => [p.provider, p.model, p.proposed.tokenRates.input])).toEqual([
      ["openai", "gpt-4o", "25"],
    ]);
    expect(sorted(await store.listPriceVersions())).toEqual(baseline);
    const { alerts } = await store.listAlerts({});
    expect(alerts.some((a) => a.type === "price_change" && a.data.model === "gpt-4o")).toBe(true);
    // The same proposal on the next run is recognised, not stored twice.
    const again = await runWith(raw);
    expect(again.quarantined[0]?.repeated).toBe(true);
    expect(await store.listPendingPriceChanges({ status: "pending" })).toHaveLength(1);
  });

  const poisoned: [string, () => unknown, string][] = [
    [
      "a negative price",
      () => set(feed(), "claude-sonnet-4-20250514", "input_cost_per_token", -0.000003),
      "invalid_feed",
    ],
    ["a NaN price", () => set(feed(), "gpt-4o", "output_cost_per_token", "NaN"), "invalid_feed"],
    ["a non-numeric price", () => set(feed(), "gpt-4o", "input_cost_per_token", "cheap"), "invalid_feed"],
    [
      "truncated JSON",
      () => (_req: unknown, res: import("node:http").ServerResponse) => {
        const text = JSON.stringify(feed());
        res.writeHead(200, { "content-type": "application/json" }).end(text.slice(0, text.length / 2));
      },
      "invalid_json",
    ],
    [
      "60% of models missing",
      () => Object.fromEntries(Object.entries(feed()).filter((_, i) => i % 5 < 2)),
      "models_dropped",
    ],
    ["a 200 MB body", () => hugeBody(() => server, "/feed", 200 * MB), "too_large"],
    ["a server that never answers", () => neverAnswers, "timeout"],
    ["absurd prices everywhere", () => scaleAll(feed(), 1e6), "absurd_prices"],
  ];

  it.each(poisoned)("rejects %s whole and changes nothing", async (_name, make, reason) => {
    const pendingBefore = await store.listPendingPriceChanges();
    // Each ends by its own check (the timeout and size cap name theirs), not by the test's timeout.
    const report = await runWith(make());
    expect(report.rejected).toEqual([expect.objectContaining({ sourceId: "litellm", reason })]);
    expect(report.applied).toEqual([]);
    expect(sorted(await store.listPriceVersions())).toEqual(baseline);
    expect(await store.listPendingPriceChanges()).toEqual(pendingBefore);
    const { alerts } = await store.listAlerts({});
    expect(alerts.some((a) => a.type === "source_failure" && a.data.reason === reason)).toBe(true);
    if (reason === "too_large") expect(server.bytesSent.get("/feed")).toBeLessThan(60 * MB);
  });

  it("recovers: a good feed after the bad ones applies a real change once approved", async () => {
    const [pending] = await store.listPendingPriceChanges({ status: "pending" });
    clock.advance(60_000);
    const at = clock.now();
    const version = await updater.approve(pending!.id);
    expect(version.effectiveFrom).toBe(at);
    const history = await store.listPriceVersions({ provider: "openai", model: "gpt-4o" });
    expect(history.map((v) => [v.tokenRates.input, v.effectiveTo])).toEqual([
      ["2.5", at],
      ["25", null],
    ]);
    await expect(updater.approve(pending!.id)).rejects.toMatchObject({ code: "conflict" });
  });
});

function set(raw: Raw, key: string, field: string, value: unknown): Raw {
  raw[key]![field] = value;
  return raw;
}

function scaleAll(raw: Raw, factor: number): Raw {
  for (const e of Object.values(raw)) {
    if (typeof e === "object" && e && typeof e.input_cost_per_token === "number")
      e.input_cost_per_token *= factor;
  }
  return raw;
}
