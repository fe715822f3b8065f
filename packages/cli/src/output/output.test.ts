import { BudgetError } from "@budget/core";
import { describe, expect, it } from "vitest";
import { describeError, EXIT, usageError } from "../exit-codes.js";
import { csvField } from "./event-rows.js";
import { formatMoney, formatRelative } from "./format.js";
import { toJsonValue } from "./json.js";
import { colorEnabled } from "./ui.js";

describe("output", () => {
  it("money for people is exact: no rounding, so nothing non-zero reads $0.00 and totals match rows", () => {
    expect(formatMoney(1_234_565_000_000n)).toBe("$1,234.565");
    expect(formatMoney(6_000_000n)).toBe("$0.006");
    expect(formatMoney(1n)).toBe("$0.000000001");
    expect(formatMoney(0n)).toBe("$0.00");
    expect(formatMoney(-25_000_000_000n)).toBe("-$25.00");
    // status: $100 with $0.00437 used leaves $99.99563, not "$100.00".
    expect(formatMoney(100_000_000_000n - 4_370_000n)).toBe("$99.99563");
    // report: rows of $0.0081 total $0.0162, not "$0.01".
    expect([formatMoney(8_100_000n), formatMoney(16_200_000n)]).toEqual(["$0.0081", "$0.0162"]);
  });

  it("JSON turns nano-USD bigints into exact USD strings, renaming the field", () => {
    expect(toJsonValue({ a: [{ costNanoUsd: 1_500_000n, tokens: 3 }], n: 5n })).toEqual({
      a: [{ costUsd: "0.001500000", tokens: 3 }],
      n: "5",
    });
  });

  it("relative times and CSV quoting", () => {
    expect(formatRelative(3 * 3_600_000 + 29 * 60_000, 0)).toBe("in 3h 29m");
    expect(formatRelative(0, 5 * 60_000)).toBe("5m ago");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("plain")).toBe("plain");
  });

  it("exit codes: usage 2, not found 4, unreachable 5, other errors 1", () => {
    expect(describeError(usageError("bad")).exitCode).toBe(EXIT.usage);
    expect(describeError(new BudgetError("invalid_input", "x")).exitCode).toBe(EXIT.usage);
    expect(describeError(new BudgetError("not_found", "x")).exitCode).toBe(EXIT.notFound);
    expect(describeError(new BudgetError("store_unavailable", "x")).exitCode).toBe(EXIT.unavailable);
    expect(describeError(new TypeError("fetch failed")).exitCode).toBe(EXIT.unavailable);
    expect(describeError(new BudgetError("forbidden", "x")).exitCode).toBe(EXIT.error);
  });

  it("color: off with NO_COLOR, --no-color or --json; FORCE_COLOR turns it on off a terminal", () => {
    expect(colorEnabled({ json: false, color: true, env: { NO_COLOR: "1" } })).toBe(false);
    expect(colorEnabled({ json: false, color: false, env: { FORCE_COLOR: "1" } })).toBe(false);
    expect(colorEnabled({ json: true, color: true, env: { FORCE_COLOR: "1" } })).toBe(false);
    expect(colorEnabled({ json: false, color: true, env: { FORCE_COLOR: "1" } })).toBe(true);
  });
});
