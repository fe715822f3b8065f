import { REMOTE_PRICE_SOURCE_TYPES } from "@budget/prices";
import { describe, expect, it } from "vitest";
import { parseConfig } from "./load-config.js";

describe("prices.sources[].type", () => {
  it("accepts every remote feed of @budget/prices' registry, and nothing unknown", () => {
    for (const type of REMOTE_PRICE_SOURCE_TYPES) {
      const config = parseConfig({ prices: { sources: [{ id: type, type }] } });
      expect(config.prices.sources[0]?.type).toBe(type);
    }
    expect(() => parseConfig({ prices: { sources: [{ id: "x", type: "nope" }] } })).toThrow();
  });
});
