import { describe, expect, it } from "vitest";
import { formatPercent, formatUsd, usdToNano, utilizationLevel } from "./format.js";

describe("display formatting", () => {
  it("shows money exactly, by the CLI's rule: never rounded, never a non-zero $0.00", () => {
    expect(formatUsd("1234.565")).toBe("$1,234.565");
    expect(formatUsd("0.014249999")).toBe("$0.014249999");
    expect(formatUsd("0.00003149")).toBe("$0.00003149");
    expect(formatUsd("0")).toBe("$0.00");
    expect(formatUsd("0.75")).toBe("$0.75");
    expect(formatUsd("10")).toBe("$10.00");
    expect(formatUsd("-2.005")).toBe("-$2.005");
    expect(formatUsd(8_100_000n)).toBe("$0.0081");
    expect(formatUsd("90071992547409.999999999")).toBe("$90,071,992,547,409.999999999");
    expect(usdToNano("12.345678901")).toBe(12_345_678_901n);
  });

  it("colors utilization green below 80%, amber below 100%, red from 100%", () => {
    expect([0.79, 0.8, 0.99, 1, 1.5].map(utilizationLevel)).toEqual(["ok", "warn", "warn", "over", "over"]);
    expect(formatPercent(0.855)).toBe("86%");
    expect(formatPercent(0.012)).toBe("1.2%");
  });
});
