import { describe, expect, it } from "vitest";
import { BudgetError, isBudgetError } from "./budget-error.js";

/** An error shaped like a `BudgetError` from a second copy of the package (another class object). */
class OtherCopyBudgetError extends Error {
  override readonly name = "BudgetError";
  readonly details = {};
  constructor(readonly code: string) {
    super(code);
  }
}

describe("isBudgetError", () => {
  it("recognizes a BudgetError, optionally by code", () => {
    const err = new BudgetError("not_found", "no such budget");
    expect(isBudgetError(err)).toBe(true);
    expect(isBudgetError(err, "not_found")).toBe(true);
    expect(isBudgetError(err, "conflict")).toBe(false);
  });

  it("decides by the stable code, so a second copy's error counts", () => {
    expect(isBudgetError(new OtherCopyBudgetError("conflict"), "conflict")).toBe(true);
  });

  it("rejects system errors and plain values that carry another code", () => {
    const system = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED", details: {} });
    expect(isBudgetError(system)).toBe(false);
    expect(isBudgetError(new OtherCopyBudgetError("ECONNRESET"))).toBe(false);
    expect(isBudgetError({ code: "not_found", details: {}, message: "x" })).toBe(false);
    expect(isBudgetError(Object.assign(new Error("x"), { code: "not_found" }))).toBe(false);
    expect(isBudgetError(undefined)).toBe(false);
  });
});
