import { describe, expect, it } from "vitest";
import type { UsageEvent } from "../../api/types.js";
import { cumulativeByGroup } from "./run-chart-data.js";

const call = (time: number, worker: string | undefined, costUsd: string) =>
  ({ time, costUsd, dimensions: worker === undefined ? {} : { worker } }) as unknown as UsageEvent;

describe("a run's cumulative spend per group", () => {
  it("sums each group exactly over time, a point per call, oldest first", () => {
    const data = cumulativeByGroup(
      [
        call(3000, "w1", "0.1"),
        call(1000, "w1", "0.2"),
        call(2000, "w2", "0.000000001"),
        call(4000, undefined, "1"),
      ],
      "worker",
    );
    expect(data.labels).toEqual(["(none)", "w1", "w2"]);
    expect(data.x).toEqual([1, 2, 3, 4]);
    expect(data.ys).toEqual([
      [0, 0, 0, 1],
      [0.2, 0.2, 0.3, 0.3],
      [0, 1e-9, 1e-9, 1e-9],
    ]);
  });

  it("draws the five biggest groups and sums the rest as other", () => {
    const events = Array.from({ length: 8 }, (_, i) => call(i * 1000, `w${i}`, String(i + 1)));
    const data = cumulativeByGroup(events, "worker");
    expect(data.labels).toEqual(["w7", "w6", "w5", "w4", "w3", "other"]);
    expect(data.ys.at(-1)?.at(-1)).toBe(1 + 2 + 3);
  });
});
