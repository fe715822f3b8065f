import type { Budget } from "@budget/core";
import { describe, expect, it } from "vitest";
import { CliError } from "../exit-codes.js";
import { applyOverrideEdit } from "./override-edit.js";

const existing: Budget = {
  id: "users",
  scope: { user: { each: true } },
  timezone: "UTC",
  enabled: true,
  activeFrom: 5,
  limits: [{ id: "daily", window: { type: "day" }, cost: "10", enforcement: "hard_limit", thresholds: [1] }],
  resetAt: null,
  createdAt: 1,
  updatedAt: 1,
};

describe("applyOverrideEdit", () => {
  it("adds an override, merges amounts into it, and keeps the rest of the budget", () => {
    const one = applyOverrideEdit(existing, { match: ["user=alice"], amounts: { cost: "50" } });
    expect(one).toMatchObject({ activeFrom: 5, limits: existing.limits });
    expect(one.overrides).toEqual([{ match: { user: "alice" }, limits: { daily: { cost: "50" } } }]);
    const two = applyOverrideEdit(
      { ...existing, overrides: one.overrides ?? [] },
      {
        match: ["user=alice"],
        limitId: "daily",
        amounts: { concurrency: 2 },
      },
    );
    expect(two.overrides).toEqual([
      { match: { user: "alice" }, limits: { daily: { cost: "50", concurrency: 2 } } },
    ]);
    expect(two).not.toHaveProperty("resetAt");
  });

  it("removes an override; a bad pair, no amount or an unknown override is a usage error", () => {
    const withOne = {
      ...existing,
      overrides: [{ match: { user: "bot" }, limits: { daily: { cost: "0" } } }],
    };
    expect(applyOverrideEdit(withOne, { match: ["user=bot"], amounts: {}, remove: true })).not.toHaveProperty(
      "overrides",
    );
    const usage = (f: () => unknown) => expect(f).toThrow(CliError);
    usage(() => applyOverrideEdit(existing, { match: ["alice"], amounts: { cost: "1" } }));
    usage(() => applyOverrideEdit(existing, { match: ["user=alice"], amounts: {} }));
    usage(() => applyOverrideEdit(existing, { match: ["user=carol"], amounts: {}, remove: true }));
  });
});
