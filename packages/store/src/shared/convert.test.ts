import { isBudgetError } from "@budget/core";
import { describe, expect, it } from "vitest";
import { toNumber } from "./convert.js";

describe("toNumber", () => {
  it("reads counts exactly up to 2^53 − 1 and refuses to round one past it", () => {
    expect(toNumber(9007199254740991n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(toNumber("9007199254740991")).toBe(Number.MAX_SAFE_INTEGER);
    expect(toNumber("12")).toBe(12);
    expect(toNumber(null)).toBe(0);
    for (const past of [9007199254740993n, "9007199254740993", "-9007199254740993"]) {
      let err: unknown;
      try {
        toNumber(past);
      } catch (e) {
        err = e;
      }
      expect(isBudgetError(err, "counter_overflow"), String(past)).toBe(true);
    }
  });
});
