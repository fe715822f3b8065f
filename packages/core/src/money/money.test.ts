import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isBudgetError } from "../errors/budget-error.js";
import { compareDecimal, divRoundHalfUp, formatDecimal, mulDecimal, parseDecimal } from "./decimal.js";
import { formatUsd, toNanoUsd, usdToNano } from "./nano-usd.js";

describe("decimal", () => {
  it("parses long per-token prices without losing digits", () => {
    expect(parseDecimal("0.00000008333333333333334")).toEqual({ units: 8333333333333334n, scale: 23 });
    expect(formatDecimal(parseDecimal("0.00000008333333333333334"))).toBe("0.00000008333333333333334");
  });

  it("parses exponents and signs exactly", () => {
    expect(formatDecimal(parseDecimal("8.333333333333334e-8"))).toBe("0.00000008333333333333334");
    expect(formatDecimal(parseDecimal("1.5E3"))).toBe("1500");
    expect(formatDecimal(parseDecimal("-0.50"))).toBe("-0.5");
    expect(formatDecimal(parseDecimal(".25"))).toBe("0.25");
  });

  it("rejects what is not a decimal", () => {
    for (const bad of ["", "abc", "1.2.3", "NaN", "Infinity", "1e", "--1", "0x10", "1e999999"]) {
      expect(() => parseDecimal(bad), bad).toThrow();
      try {
        parseDecimal(bad);
      } catch (e) {
        expect(isBudgetError(e, "invalid_input")).toBe(true);
      }
    }
  });

  it("round-trips any decimal string through parse and format", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.integer({ min: 0, max: 30 }),
        (units, scale) => {
          const text = formatDecimal({ units, scale });
          expect(compareDecimal(parseDecimal(text), { units, scale })).toBe(0);
        },
      ),
    );
  });

  it("multiplies exactly", () => {
    expect(
      formatDecimal(mulDecimal(parseDecimal("0.00000008333333333333334"), parseDecimal("1000000"))),
    ).toBe("0.08333333333333334");
  });
});

describe("rounding: half-up, once per event", () => {
  it("rounds halves away from zero and everything else to the nearest", () => {
    expect(divRoundHalfUp(5n, 10n)).toBe(1n);
    expect(divRoundHalfUp(4n, 10n)).toBe(0n);
    expect(divRoundHalfUp(15n, 10n)).toBe(2n);
    expect(divRoundHalfUp(-15n, 10n)).toBe(-2n);
    expect(divRoundHalfUp(14999n, 10000n)).toBe(1n);
  });

  it("is within half a unit of the exact quotient", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (n, d) => {
          const q = divRoundHalfUp(n, d);
          const diff2 = (q * d - n) * 2n;
          expect(diff2 <= d && diff2 >= -d).toBe(true);
        },
      ),
    );
  });
});

describe("nano-USD", () => {
  it("parses and formats USD strings exactly", () => {
    expect(usdToNano("12.345678901")).toBe(12_345_678_901n);
    expect(usdToNano("0.0000000005")).toBe(1n);
    expect(usdToNano("0.0000000004")).toBe(0n);
    expect(formatUsd(12_345_678_901n)).toBe("12.345678901");
    expect(formatUsd(-1n)).toBe("-0.000000001");
    expect(toNanoUsd("42")).toBe(42n);
    expect(() => toNanoUsd(1.5)).toThrow();
  });

  it("round-trips every nano amount through its USD string", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (nano) => {
        expect(usdToNano(formatUsd(nano))).toBe(nano);
      }),
    );
  });
});
