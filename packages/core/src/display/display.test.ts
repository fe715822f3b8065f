import { describe, expect, it } from "vitest";
import { displayCount, displayRelative, displayTime, displayUsd } from "./display.js";

describe("displayUsd: the one display rule", () => {
  it("shows the exact amount with at least two decimals", () => {
    expect(displayUsd(0n)).toBe("$0.00");
    expect(displayUsd(1_234_500_000_000n)).toBe("$1,234.50");
    expect(displayUsd(4_370_000n)).toBe("$0.00437");
    expect(displayUsd(-1n)).toBe("-$0.000000001");
    expect(displayUsd(90_071_992_547_409_999_999_999n)).toBe("$90,071,992,547,409.999999999");
  });
});

describe("counts, instants and durations", () => {
  it("groups thousands of whole counts", () => {
    expect([0, 999, 1200, 1_234_567, -4321].map(displayCount)).toEqual([
      "0",
      "999",
      "1,200",
      "1,234,567",
      "-4,321",
    ]);
  });

  it("shows an instant to the minute in local time", () => {
    const local = new Date(2026, 10, 23, 7, 5, 59).getTime();
    expect(displayTime(local)).toBe("2026-11-23 07:05");
  });

  it("shows a duration from now in its two largest units", () => {
    const h = 3_600_000;
    expect(displayRelative(3 * h + 29 * 60_000, 0)).toBe("in 3h 29m");
    expect(displayRelative(0, 5 * 60_000)).toBe("5m ago");
    expect(displayRelative(52 * h, 0)).toBe("in 2d 4h");
    expect(displayRelative(30_000, 0)).toBe("in <1m");
  });
});
