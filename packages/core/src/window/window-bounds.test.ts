import { describe, expect, it } from "vitest";
import { windowBounds } from "./window-bounds.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const at = (s: string) => new Date(s).getTime();

describe("windowBounds", () => {
  it("day in America/New_York across the March DST change is 23 hours long", () => {
    const b = windowBounds({ type: "day" }, at("2026-03-08T12:00:00Z"), "America/New_York");
    expect(iso(b.start)).toBe("2026-03-08T05:00:00.000Z");
    expect(iso(b.end)).toBe("2026-03-09T04:00:00.000Z");
  });

  it("day in America/New_York across the November DST change is 25 hours long", () => {
    const b = windowBounds({ type: "day" }, at("2026-11-01T20:00:00Z"), "America/New_York");
    expect(iso(b.start)).toBe("2026-11-01T04:00:00.000Z");
    expect(iso(b.end)).toBe("2026-11-02T05:00:00.000Z");
  });

  it("an instant just before local midnight belongs to that local day", () => {
    const b = windowBounds({ type: "day" }, at("2026-01-16T04:59:59Z"), "America/New_York");
    expect(iso(b.start)).toBe("2026-01-15T05:00:00.000Z");
  });

  it("month anchored on the 31st clamps to the end of February", () => {
    const feb = windowBounds({ type: "month", anchorDay: 31 }, at("2026-03-01T00:00:00Z"), "UTC");
    expect(iso(feb.start)).toBe("2026-02-28T00:00:00.000Z");
    expect(iso(feb.end)).toBe("2026-03-31T00:00:00.000Z");
    const leap = windowBounds({ type: "month", anchorDay: 31 }, at("2028-02-29T12:00:00Z"), "UTC");
    expect(iso(leap.start)).toBe("2028-02-29T00:00:00.000Z");
    expect(iso(leap.end)).toBe("2028-03-31T00:00:00.000Z");
  });

  it("month starting on the 15th", () => {
    const b = windowBounds({ type: "month", anchorDay: 15 }, at("2026-01-10T00:00:00Z"), "UTC");
    expect(iso(b.start)).toBe("2025-12-15T00:00:00.000Z");
    expect(iso(b.end)).toBe("2026-01-15T00:00:00.000Z");
  });

  it("week starts on Monday by default, in the budget's zone", () => {
    const b = windowBounds({ type: "week" }, at("2026-11-22T12:00:00Z"), "Europe/Paris"); // a Sunday
    expect(iso(b.start)).toBe("2026-11-15T23:00:00.000Z");
    expect(iso(b.end)).toBe("2026-11-22T23:00:00.000Z");
  });

  it("quarter and fiscal year anchors", () => {
    const q = windowBounds({ type: "quarter" }, at("2026-05-20T00:00:00Z"), "UTC");
    expect([iso(q.start), iso(q.end)]).toEqual(["2026-04-01T00:00:00.000Z", "2026-07-01T00:00:00.000Z"]);
    const fy = windowBounds({ type: "year", anchorMonth: 4 }, at("2026-02-01T00:00:00Z"), "UTC");
    expect([iso(fy.start), iso(fy.end)]).toEqual(["2025-04-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z"]);
  });

  it("hour in a half-hour zone", () => {
    const b = windowBounds({ type: "hour" }, at("2026-06-01T10:10:00Z"), "Asia/Kolkata");
    expect([iso(b.start), iso(b.end)]).toEqual(["2026-06-01T09:30:00.000Z", "2026-06-01T10:30:00.000Z"]);
  });

  it("rolling windows are cut into minute buckets", () => {
    const b = windowBounds({ type: "rolling", minutes: 60 }, at("2026-06-01T10:10:30Z"), "UTC");
    expect([iso(b.start), iso(b.end)]).toEqual(["2026-06-01T10:10:00.000Z", "2026-06-01T10:11:00.000Z"]);
  });

  it("a reset inside the period starts the window at the reset", () => {
    const reset = at("2026-06-10T08:00:00Z");
    expect(windowBounds({ type: "month" }, at("2026-06-12T00:00:00Z"), "UTC", reset).start).toBe(reset);
    expect(iso(windowBounds({ type: "month" }, at("2026-06-09T00:00:00Z"), "UTC", reset).start)).toBe(
      "2026-06-01T00:00:00.000Z",
    );
    expect(windowBounds({ type: "lifetime" }, at("2026-06-12T00:00:00Z"), "UTC", reset)).toEqual({
      start: reset,
      end: null,
    });
  });
});
