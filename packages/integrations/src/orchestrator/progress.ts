import { formatUsd, usdToNano } from "@budget/core";

/** The run budget as progress updates carry it. */
export interface BudgetProgress {
  usedTokens: number;
  /** Null when the run has no token limit. */
  remainingTokens: number | null;
  /** Used / limit in percent, the highest over tokens and cost. */
  percentUsed: number;
  costUsd: string;
  /** Tokens the whole run will use at the pace of the completed tasks (null before the first). */
  projectedTotalTokens: number | null;
  projectedCostUsd: string | null;
  /** True when the projection passes the run's token or cost limit. */
  projectedOverLimit: boolean;
}

/** A progress update: tasks done out of all, and the budget. */
export interface ProgressUpdate {
  completed: number;
  total: number;
  budget: BudgetProgress;
}

/** The run's state a progress update is built from. */
export interface RunBudgetSnapshot {
  usedTokens: number;
  usedCostUsd: string;
  limitTokens: number | null;
  limitCostUsd: string | null;
  remainingTokens: number | null;
  percentUsed: number;
}

/**
 * Builds a progress update with a linear projection: usage so far divided by completed tasks,
 * times all tasks. Cost is projected in nano-USD (rounded down), never through floats.
 */
export function buildProgress(input: {
  completed: number;
  total: number;
  run: RunBudgetSnapshot;
}): ProgressUpdate {
  const { completed, total, run } = input;
  let projectedTotalTokens: number | null = null;
  let projectedCostUsd: string | null = null;
  let projectedOverLimit = false;
  if (completed > 0) {
    projectedTotalTokens = Math.round((run.usedTokens / completed) * total);
    const projectedNano = (usdToNano(run.usedCostUsd) * BigInt(total)) / BigInt(completed);
    projectedCostUsd = formatUsd(projectedNano);
    projectedOverLimit =
      (run.limitTokens !== null && projectedTotalTokens > run.limitTokens) ||
      (run.limitCostUsd !== null && projectedNano > usdToNano(run.limitCostUsd));
  }
  return {
    completed,
    total,
    budget: {
      usedTokens: run.usedTokens,
      remainingTokens: run.remainingTokens,
      percentUsed: run.percentUsed,
      costUsd: run.usedCostUsd,
      projectedTotalTokens,
      projectedCostUsd,
      projectedOverLimit,
    },
  };
}
