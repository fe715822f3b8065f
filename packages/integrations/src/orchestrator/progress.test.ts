import { describe, expect, it } from "vitest";
import { buildProgress } from "./progress.js";

const run = {
  usedTokens: 3000,
  usedCostUsd: "0.000000010",
  limitTokens: 10_000,
  limitCostUsd: null,
  remainingTokens: 7000,
  percentUsed: 30,
};

describe("buildProgress", () => {
  it("projects the run's end linearly from completed tasks", () => {
    expect(buildProgress({ completed: 2, total: 5, run })).toEqual({
      completed: 2,
      total: 5,
      budget: {
        usedTokens: 3000,
        remainingTokens: 7000,
        percentUsed: 30,
        costUsd: "0.000000010",
        projectedTotalTokens: 7500,
        projectedCostUsd: "0.000000025",
        projectedOverLimit: false,
      },
    });
  });

  it("flags a projection past the limit, and projects nothing before the first task", () => {
    expect(buildProgress({ completed: 1, total: 4, run }).budget).toMatchObject({
      projectedTotalTokens: 12_000,
      projectedOverLimit: true,
    });
    expect(
      buildProgress({
        completed: 1,
        total: 4,
        run: { ...run, limitTokens: null, limitCostUsd: "0.00000003" },
      }).budget.projectedOverLimit,
    ).toBe(true);
    expect(buildProgress({ completed: 0, total: 4, run }).budget).toMatchObject({
      projectedTotalTokens: null,
      projectedCostUsd: null,
      projectedOverLimit: false,
    });
  });
});
