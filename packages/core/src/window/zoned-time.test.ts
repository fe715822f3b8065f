import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { zonedParts, zonedToUtc } from "./zoned-time.js";

/** What ICU says the wall clock of `ms` is in `timeZone` (the path every other zone takes). */
function intlParts(ms: number, timeZone: string) {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    weekday: "short",
  });
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    weekday: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(out.weekday ?? ""),
  };
}

// Year 1970 to 2200, the instants budgets live in.
const instant = fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) });

describe("zonedParts", () => {
  it("reads UTC from the Date exactly as ICU formats it", () => {
    fc.assert(
      fc.property(instant, (ms) => {
        expect(zonedParts(ms, "UTC")).toEqual(intlParts(ms, "UTC"));
      }),
      { numRuns: 2000 },
    );
  });

  it("goes through ICU for other zones (and Etc/UTC agrees with UTC)", () => {
    fc.assert(
      fc.property(instant, (ms) => {
        expect(zonedParts(ms, "Europe/Berlin")).toEqual(intlParts(ms, "Europe/Berlin"));
        expect(zonedParts(ms, "Etc/UTC")).toEqual(zonedParts(ms, "UTC"));
      }),
      { numRuns: 500 },
    );
  });

  it("maps a UTC wall time back to its instant", () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const p = zonedParts(ms, "UTC");
        expect(zonedToUtc(p, "UTC")).toBe(ms - (ms % 60_000));
      }),
    );
  });
});
