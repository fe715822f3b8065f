import { type BudgetClient, formatUsd, type LimitStatus, usdToNano } from "@budget/core";
import type { RunConfig } from "./config.js";
import { partitionKey, RUN_LIMIT_ID, runBudgetIds } from "./run-budgets.js";

/** What one limit has used and has left; `null` amounts are unlimited. */
export interface LimitState {
  budgetId: string;
  limitId: string;
  partition: string;
  usedTokens: number;
  /** Tokens held by reservations in flight. */
  reservedTokens: number;
  usedCostUsd: string;
  limitTokens: number | null;
  limitCostUsd: string | null;
  /** Limit − used − reserved, never negative. */
  remainingTokens: number | null;
  remainingCostUsd: string | null;
  /** Used / limit in percent, the highest over tokens and cost (reservations excluded). */
  percentUsed: number;
}

/** A limit's state from the engine's status row, or an untouched limit when the row is absent. */
export function limitStateOf(
  row: LimitStatus | undefined,
  fallback: {
    budgetId: string;
    partition: string;
    tokens?: number | undefined;
    costUsd?: string | undefined;
  },
): LimitState {
  if (!row) {
    const cost = fallback.costUsd === undefined ? null : formatUsd(usdToNano(fallback.costUsd));
    return {
      budgetId: fallback.budgetId,
      limitId: RUN_LIMIT_ID,
      partition: fallback.partition,
      usedTokens: 0,
      reservedTokens: 0,
      usedCostUsd: formatUsd(0n),
      limitTokens: fallback.tokens ?? null,
      limitCostUsd: cost,
      remainingTokens: fallback.tokens ?? null,
      remainingCostUsd: cost,
      percentUsed: 0,
    };
  }
  return {
    budgetId: row.budgetId,
    limitId: row.limitId,
    partition: row.partition,
    usedTokens: row.used.tokens,
    reservedTokens: row.reserved.tokens,
    usedCostUsd: formatUsd(row.used.costNanoUsd),
    limitTokens: row.limit.tokens ?? null,
    limitCostUsd: row.limit.costNanoUsd === undefined ? null : formatUsd(row.limit.costNanoUsd),
    remainingTokens: row.remaining.tokens ?? null,
    remainingCostUsd: row.remaining.costNanoUsd === undefined ? null : formatUsd(row.remaining.costNanoUsd),
    percentUsed: Math.round(row.utilization * 10_000) / 100,
  };
}

/** The run limit's state. */
export async function runLimitState(client: BudgetClient, runId: string, config: RunConfig) {
  const id = runBudgetIds(runId).run;
  const rows = await client.status({ budgetId: id });
  return limitStateOf(
    rows.find((r) => r.limitId === RUN_LIMIT_ID),
    { budgetId: id, partition: "", ...config.totalBudgetLimit },
  );
}

/** One worker's or task's limit state, or null when that maximum is not configured. */
export async function partitionLimitState(
  client: BudgetClient,
  input: { runId: string; config: RunConfig; dimension: "worker" | "task"; value: string },
): Promise<LimitState | null> {
  const max = input.dimension === "worker" ? input.config.maxTokensPerWorker : input.config.maxTokensPerTask;
  if (max === undefined) return null;
  const ids = runBudgetIds(input.runId);
  const budgetId = input.dimension === "worker" ? ids.worker : ids.task;
  const partition = partitionKey(input.dimension, input.value);
  const rows = await client.status({ budgetId, partition });
  return limitStateOf(
    rows.find((r) => r.limitId === RUN_LIMIT_ID),
    { budgetId, partition, tokens: max },
  );
}

/** Every partition's state of the worker or task budget, keyed by worker or task id. */
export async function allPartitionStates(
  client: BudgetClient,
  input: { runId: string; config: RunConfig; dimension: "worker" | "task" },
): Promise<Record<string, LimitState>> {
  const max = input.dimension === "worker" ? input.config.maxTokensPerWorker : input.config.maxTokensPerTask;
  if (max === undefined) return {};
  const ids = runBudgetIds(input.runId);
  const rows = await client.status({ budgetId: input.dimension === "worker" ? ids.worker : ids.task });
  const out: Record<string, LimitState> = {};
  const prefix = `${input.dimension}=`;
  for (const row of rows) {
    if (row.limitId !== RUN_LIMIT_ID || !row.partition.startsWith(prefix)) continue;
    const key = decodeURIComponent(row.partition.slice(prefix.length));
    out[key] = limitStateOf(row, { budgetId: row.budgetId, partition: row.partition, tokens: max });
  }
  return out;
}
