import { describe, expect, it } from "vitest";
import { applyScopeFlags } from "./scope.js";
import { parseCount, parseDuration, parseInstant, parseUsd } from "./values.js";
import { describeWindow, parseWindow } from "./window.js";

describe("flag parsing", () => {
  it("counts and money stay exact", () => {
    expect(parseCount("1_200")).toBe(1200);
    expect(parseCount("1,200")).toBe(1200);
    expect(() => parseCount("1.5")).toThrow(/integer/);
    expect(() => parseCount("-3")).toThrow(/integer/);
    expect(parseUsd("$0.123456789012")).toBe("0.123456789012");
    expect(() => parseUsd("ten")).toThrow(/USD/);
  });

  it("windows: calendar with anchors, rolling durations, lifetime", () => {
    expect(parseWindow("month", { anchorDay: 15 })).toEqual({ type: "month", anchorDay: 15 });
    expect(parseWindow("rolling:24h")).toEqual({ type: "rolling", minutes: 1440 });
    expect(parseWindow("lifetime")).toEqual({ type: "lifetime" });
    expect(() => parseWindow("rolling:30s")).toThrow(/whole minutes/);
    expect(() => parseWindow("fortnight")).toThrow(/--window fortnight/);
    expect(describeWindow({ type: "month", anchorDay: 15 })).toBe("month from day 15");
    expect(describeWindow({ type: "rolling", minutes: 90 })).toBe("rolling 90m");
  });

  it("instants: dates are midnight in the given time zone; durations count back from now", () => {
    expect(parseInstant("2026-11-01", "UTC", 0)).toBe(Date.UTC(2026, 10, 1));
    expect(parseInstant("2026-11-01", "Europe/Paris", 0)).toBe(Date.UTC(2026, 9, 31, 23));
    expect(parseInstant("2026-11-01T12:00:00Z", "Europe/Paris", 0)).toBe(Date.UTC(2026, 10, 1, 12));
    expect(parseInstant("7d", "UTC", 10 * 86_400_000)).toBe(3 * 86_400_000);
    expect(parseDuration("90s")).toBe(90_000);
    expect(() => parseInstant("yesterday", "UTC", 0)).toThrow(/not a date/);
  });

  it("scope flags select, partition (each) and reject unknown dimensions", () => {
    expect(applyScopeFlags({}, ["component=planner", "task-type=each"])).toEqual({
      component: "planner",
      taskType: { each: true },
    });
    expect(() => applyScopeFlags({}, ["colour=red"])).toThrow(/unknown dimension/);
    expect(() => applyScopeFlags({}, ["component"])).toThrow(/key=value/);
  });
});
