import { describe, expect, it } from "vitest";
import type { LimitStatus, ReportRow } from "../../api/types.js";
import { bindingMetric, burnSeries, limitedMetrics, primaryMetric, reportQueryOf } from "./burn-data.js";

const H = 3_600_000;
const start = Date.UTC(2026, 4, 1);
const status = (used: string, overrides: Partial<LimitStatus> = {}): LimitStatus => ({
  budgetId: "b",
  budgetName: "B",
  limitId: "l",
  partition: "",
  window: { type: "day" },
  enforcement: "hard_limit",
  windowStart: start,
  resetsAt: start + 24 * H,
  limit: { costUsd: "10" },
  used: { tokens: 0, costUsd: used, requests: 0 },
  reserved: { tokens: 0, costUsd: "0", requests: 0 },
  remaining: { costUsd: "0" },
  utilization: 0,
  ...overrides,
});
const row = (hour: number, costUsd: string): ReportRow => ({
  bucketStart: start + hour * H,
  group: {},
  events: 1,
  tokens: 0,
  costUsd,
  requests: 1,
});

describe("burn-down series", () => {
  it("stays flat until usage happens, ends at the live counter and forecasts linearly to the reset", () => {
    const now = start + 6 * H;
    const s = burnSeries(status("3"), [row(4, "1"), row(2, "2")], "cost", now);
    const at = (ms: number) => s.used[s.x.indexOf(ms / 1000)];
    expect(at(start)).toBe(0);
    expect(at(start + 2 * H)).toBe(0);
    expect(at(start + 3 * H)).toBe(2);
    expect(at(start + 4 * H)).toBe(2);
    expect(at(start + 5 * H)).toBe(3);
    expect(at(now)).toBe(3);
    // $3 in 6 hours → $0.5/h → $12 at the end of the day.
    expect(s.projected).toBeCloseTo(12, 9);
    expect(s.forecast.filter((v) => v !== null)).toEqual([3, 12]);
    expect(s.cap.every((c) => c === 10)).toBe(true);
    expect(s.range).toEqual([start / 1000, (start + 24 * H) / 1000]);
  });

  it("has no forecast for rolling and lifetime windows", () => {
    const now = start + H;
    expect(
      burnSeries(status("1", { window: { type: "lifetime" }, resetsAt: null }), [], "cost", now).projected,
    ).toBeNull();
    expect(
      burnSeries(status("1", { window: { type: "rolling", minutes: 60 } }), [], "cost", now).projected,
    ).toBeNull();
  });

  it("plots a lifetime window from its first event, not from 1970", () => {
    const now = start + 10 * 24 * H;
    const lifetime = status("3", { window: { type: "lifetime" }, windowStart: 0, resetsAt: null });
    const s = burnSeries(lifetime, [row(48, "1"), row(24, "2")], "cost", now);
    expect(s.range).toEqual([(start + 24 * H) / 1000, now / 1000]);
    expect(s.x[0]).toBe((start + 24 * H) / 1000);
    expect(s.used.at(-1)).toBe(3);
    // No usage yet: the chart spans nothing rather than 56 years.
    expect(burnSeries(lifetime, [], "cost", now).range).toEqual([now / 1000, now / 1000]);
  });

  it("charts the amount that binds: 510 % of tokens beats 8 % of cost", () => {
    const both = { limit: { costUsd: "10", tokens: 1000 } };
    expect(limitedMetrics(both.limit)).toEqual(["cost", "tokens"]);
    expect(bindingMetric({ ...both, used: { tokens: 5100, costUsd: "0.8", requests: 0 } })).toBe("tokens");
    expect(bindingMetric({ ...both, used: { tokens: 10, costUsd: "9", requests: 0 } })).toBe("cost");
    expect(bindingMetric({ ...both, used: { tokens: 0, costUsd: "0", requests: 0 } })).toBe("cost");
    expect(
      bindingMetric({ limit: { requests: 10 }, used: { tokens: 9e9, costUsd: "99", requests: 1 } }),
    ).toBe("requests");
  });

  it("picks the capped metric and filters the report by scope and partition", () => {
    expect(primaryMetric({ tokens: 5 })).toBe("tokens");
    expect(primaryMetric({ tokens: 5, costUsd: "1" })).toBe("cost");
    const q = reportQueryOf(
      status("0", { partition: "worker=w1,task=t7" }),
      {
        scope: { component: "planner", worker: { each: true }, tags: ["x", "y"] },
        timezone: "Europe/Paris",
      },
      start + H,
    );
    expect(q).toEqual({
      from: start,
      bucket: "hour",
      timezone: "Europe/Paris",
      component: "planner",
      tags: "x,y",
      worker: "w1",
      task: "t7",
    });
  });
});
