import { isBudgetError } from "@budget/core";
import { describe, expect, it } from "vitest";
import { resolveSliceOptions } from "./slice-options.js";

const refused = (o: Parameters<typeof resolveSliceOptions>[0]) => {
  try {
    resolveSliceOptions(o);
  } catch (err) {
    return isBudgetError(err, "invalid_input") ? err.message : `unexpected ${String(err)}`;
  }
  return "accepted";
};

describe("resolveSliceOptions", () => {
  it("is off unless enabled, with defaults when enabled", () => {
    expect(resolveSliceOptions(undefined)).toBeNull();
    expect(resolveSliceOptions({ enabled: false, ttlMs: 5 })).toBeNull();
    expect(resolveSliceOptions({ enabled: true })).toEqual({ ttlMs: 2000, share: 0.25 });
  });

  it("refuses what could overspend or never settle, naming the option", () => {
    expect(refused({ enabled: true, ttlMs: 50 })).toMatch(/^slices\.ttlMs/);
    expect(refused({ enabled: true, ttlMs: 600_001 })).toMatch(/^slices\.ttlMs/);
    expect(refused({ enabled: true, ttlMs: 1.5 })).toMatch(/^slices\.ttlMs/);
    expect(refused({ enabled: true, share: 0 })).toMatch(/^slices\.share/);
    expect(refused({ enabled: true, share: 0.75 })).toMatch(/^slices\.share/);
    expect(refused({ enabled: true, share: Number.NaN })).toMatch(/^slices\.share/);
  });
});
