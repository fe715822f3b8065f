import { BudgetError, createManualClock } from "@budget/core";
import { describe, expect, it } from "vitest";
import { collectSnapshots } from "../updater/collect-snapshots.js";
import { fetchJson } from "./fetch-json.js";
import { isPriceSourceError, type PriceSource, PriceSourceError } from "./price-source.js";

/** The module loaded a second time: its `PriceSourceError` is another class, as from a second install. */
const copy = (await import(
  /* @vite-ignore */ `${new URL("./price-source.ts", import.meta.url).pathname}?second-copy`
)) as typeof import("./price-source.js");
const fromCopy = () => new copy.PriceSourceError("feed", "invalid_feed", "no models in the feed");

describe("isPriceSourceError: by code, source and reason, not instanceof", () => {
  it("recognizes the error of this copy and of a second copy of the package", () => {
    expect(fromCopy()).not.toBeInstanceOf(PriceSourceError);
    expect(isPriceSourceError(new PriceSourceError("feed", "timeout", "timed out"))).toBe(true);
    expect(isPriceSourceError(fromCopy())).toBe(true);
  });

  it("rejects other errors", () => {
    expect(isPriceSourceError(new BudgetError("price_source_failed", "x"))).toBe(false);
    expect(
      isPriceSourceError(new BudgetError("invalid_input", "x", { sourceId: "feed", reason: "timeout" })),
    ).toBe(false);
    expect(isPriceSourceError(Object.assign(fromCopy(), { reason: "other" }))).toBe(false);
    expect(isPriceSourceError(new Error("feed: timed out"))).toBe(false);
    expect(isPriceSourceError(null)).toBe(false);
  });

  it("collectSnapshots reports the reason of a source built on a second copy", async () => {
    const source: PriceSource = {
      id: "feed",
      trust: 0.5,
      fetch: async () => {
        throw fromCopy();
      },
    };
    const [got] = await collectSnapshots([source], createManualClock(0), undefined, () => {});
    expect(got?.outcome).toMatchObject({ ok: false, reason: "invalid_feed" });
  });

  it("fetchJson passes a second copy's source error on as it is, not as a network failure", async () => {
    const err = await fetchJson({
      sourceId: "feed",
      url: "http://127.0.0.1:9/feed.json",
      fetch: async () => {
        throw fromCopy();
      },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "price_source_failed", reason: "invalid_feed" });
  });
});
