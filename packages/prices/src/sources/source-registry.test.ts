import { describe, expect, it } from "vitest";
import { createPriceSource, isRemotePriceSourceType, REMOTE_PRICE_SOURCE_TYPES } from "./source-registry.js";

describe("price source registry", () => {
  it("names every remote feed, each making a source of that id", () => {
    expect(REMOTE_PRICE_SOURCE_TYPES).toEqual(["litellm", "openrouter", "genai-prices"]);
    for (const type of REMOTE_PRICE_SOURCE_TYPES) expect(createPriceSource({ type }).id).toBe(type);
  });

  it("makes a file source with its id", () => {
    expect(createPriceSource({ type: "file", path: "/tmp/none.json" }).id).toBe("file");
    expect(createPriceSource({ type: "file", path: "/tmp/none.json", id: "ours" }).id).toBe("ours");
  });

  it("knows only its own names", () => {
    expect(isRemotePriceSourceType("litellm")).toBe(true);
    expect(isRemotePriceSourceType("bundled")).toBe(false);
    expect(isRemotePriceSourceType("toString")).toBe(false);
  });
});
