import { describe, expect, it } from "vitest";
import type { Budget } from "../../api/types.js";
import { eachDimensions, withOverride, withoutOverride } from "./overrides.js";

const budget: Budget = {
  id: "users",
  scope: { project: "p", user: { each: true } },
  timezone: "UTC",
  enabled: true,
  limits: [{ id: "daily", window: { type: "day" }, cost: "10", enforcement: "hard_limit", thresholds: [1] }],
  resetAt: null,
  createdAt: 1,
  updatedAt: 2,
};

describe("override edits from the dashboard", () => {
  it("names the each dimensions, adds and merges an override, removes it; the body has no stored fields", () => {
    expect(eachDimensions(budget)).toEqual(["user"]);
    const added = withOverride(budget, { user: "alice" }, "daily", { cost: "50" });
    expect(added).not.toHaveProperty("createdAt");
    expect(added.overrides).toEqual([{ match: { user: "alice" }, limits: { daily: { cost: "50" } } }]);
    const merged = withOverride({ ...budget, overrides: added.overrides ?? [] }, { user: "alice" }, "daily", {
      tokens: 0,
    });
    expect(merged.overrides).toEqual([
      { match: { user: "alice" }, limits: { daily: { cost: "50", tokens: 0 } } },
    ]);
    expect(
      withoutOverride({ ...budget, overrides: merged.overrides ?? [] }, { user: "alice" }),
    ).not.toHaveProperty("overrides");
  });
});
