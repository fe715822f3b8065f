import { createManualClock, createMemoryStore, createSequentialIds, type PriceVersion } from "@budget/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureServer, loadFixture, startFixtureServer } from "../../test/fixture-server.js";
import { canonicalizeQuotes } from "../identity/canonicalize-quotes.js";
import { createLitellmSource } from "../sources/litellm-source.js";
import { loadStoreCatalog } from "../sources/store-catalog.js";
import { createPriceUpdater } from "./price-updater.js";

const SNAPSHOTS = ["2025-07", "2026-01", "2026-07"] as const;

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const key = (x: { provider: string; model: string }) => `${x.provider}\u0000${x.model.toLowerCase()}`;
type Body = { tokenRates: object; unitRates: object; batchMultiplier?: string | undefined };
/** Every priced field of a body as text: the independent notion of "the price changed". */
function fields(x: Body): Map<string, string> {
  const out = new Map<string, string>();
  for (const [group, rates] of [
    ["tokenRates", x.tokenRates],
    ["unitRates", x.unitRates],
  ] as const)
    for (const [f, r] of Object.entries(rates))
      if (r !== undefined) out.set(`${group}.${f}`, JSON.stringify(r));
  if (x.batchMultiplier !== undefined) out.set("batchMultiplier", x.batchMultiplier);
  return out;
}
/** True when a quote prices differently from a version; fields the source never carries are not compared. */
function differs(v: Body, q: Body, partial: ReadonlySet<string>): boolean {
  const [a, b] = [fields(v), fields(q)];
  for (const f of new Set([...a.keys(), ...b.keys()])) {
    if (!b.has(f) && partial.has(f)) continue;
    if (a.get(f) !== b.get(f)) return true;
  }
  return false;
}

describe("history: the three LiteLLM snapshots replayed through the updater into a store", () => {
  it("adds, removes and changes exactly what an independent diff of the snapshots says", async () => {
    const store = createMemoryStore();
    const clock = createManualClock("2025-07-31T00:00:00Z");
    const source = createLitellmSource({ url: server.url("/feed"), maxBytes: 64 * 1024 * 1024, clock });
    const updater = createPriceUpdater({
      store,
      sources: [source],
      clock,
      ids: createSequentialIds(),
      // Apply every change from this one source, so the store follows the feed.
      policy: {
        trustedMinTrust: 0.8,
        trustedMaxChange: 1e9,
        onRemoved: "close",
        newModelQuarantineZero: false,
      },
    });
    let previous = new Set<string>();
    const steps: { s: string; expected: number[]; [k: string]: unknown }[] = [];
    for (const [i, s] of SNAPSHOTS.entries()) {
      server.set("/feed", loadFixture(`litellm-${s}.json.gz`));
      if (i > 0) clock.advance(182 * 86_400_000);
      // Independent: this snapshot through the canonical mapping, against the store as it is now.
      const { catalog } = await loadStoreCatalog(store);
      const fetched = await createLitellmSource({
        url: server.url("/feed"),
        maxBytes: 64 * 1024 * 1024,
      }).fetch();
      const canon = canonicalizeQuotes(fetched.quotes, catalog, { skipped: fetched.skipped ?? [] });
      const now = clock.now();
      const inForce = new Map<string, PriceVersion>();
      for (const v of await store.listPriceVersions())
        if (v.effectiveFrom <= now && (v.effectiveTo === null || v.effectiveTo > now)) inForce.set(key(v), v);

      const report = await updater.runOnce();
      expect(report.rejected).toEqual([]);
      const dropped = new Set(report.sources[0]!.dropped.map(key));
      const quotes = canon.quotes.filter((q) => !dropped.has(key(q)));
      const current = new Set(quotes.map(key));
      const added = quotes.filter((q) => !inForce.has(key(q)));
      const partial = new Set(source.partialFields ?? []);
      const changed = quotes.filter((q) => inForce.has(key(q)) && differs(inForce.get(key(q))!, q, partial));
      const removed = [...previous].filter((k) => !current.has(k));

      const appliedNew = report.applied.filter((a) => a.closedVersionId === null);
      const appliedChanged = report.applied.filter((a) => a.closedVersionId !== null);
      steps.push({
        s,
        quotes: quotes.length,
        expected: [added.length, removed.length, changed.length],
        got: [appliedNew.length, report.removed.length, appliedChanged.length + report.quarantined.length],
        quarantined: report.quarantined.length,
        dropped: dropped.size,
        unmapped: canon.unmapped.count,
      });
      previous = current;
      expect(steps.at(-1)?.got).toEqual(steps.at(-1)?.expected);
      expect(new Set(appliedNew.map(key))).toEqual(new Set(added.map(key)));
      expect(new Set(report.removed.map(key))).toEqual(new Set(removed));
      expect(new Set([...appliedChanged, ...report.quarantined].map(key))).toEqual(new Set(changed.map(key)));
      expect(appliedNew.length + appliedChanged.length + report.quarantined.length).toBe(
        added.length + changed.length,
      );
    }
    console.info("history (added, removed, changed per snapshot):", JSON.stringify(steps));
    // Each step does real work: models come and go and prices move between the snapshots.
    const counts = steps.map((x) => x.expected);
    for (const [added, removed, changed] of counts.slice(1)) {
      expect([added, removed, changed].every((n) => n! > 0)).toBe(true);
    }
  });
});
