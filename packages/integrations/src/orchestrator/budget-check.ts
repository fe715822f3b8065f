import { type BudgetClient, formatUsd, usdToNano } from "@budget/core";
import { type LimitState, partitionLimitState, runLimitState } from "./budget-state.js";
import type { RunConfig } from "./config.js";

/** Which of a run's limits an estimate would exceed. */
export interface ExceededLimit {
  scope: "run" | "worker" | "task" | "model";
  budgetId: string | null;
  limitId: string | null;
  partition: string | null;
  remainingTokens: number | null;
  remainingCostUsd: string | null;
  message: string;
}

/** The answer of `checkBudgetAvailable`: computed from status, nothing is held. */
export interface BudgetCheck {
  /** strict: true when no limit would be exceeded; soft: always true (limits only warn). */
  available: boolean;
  mode: RunConfig["budgetEnforcementMode"];
  /** The first exceeded limit: what blocks in strict mode, what warns in soft mode. */
  blockedBy: ExceededLimit | null;
  exceeded: ExceededLimit[];
  /** Tokens left under the tightest of the checked limits (null: no token limit applies). */
  remainingTokens: number | null;
}

/** Options of a budget check. */
export interface CheckOptions {
  workerId?: string;
  /** With a model, a USD run limit is checked too (the estimate priced as output tokens, the dearer rate). */
  model?: string;
  provider?: string;
}

const SCOPES = ["run", "worker", "task"] as const;

function overTokens(
  scope: ExceededLimit["scope"],
  s: LimitState,
  estimatedTokens: number,
): ExceededLimit | null {
  if (s.remainingTokens === null || estimatedTokens <= s.remainingTokens) return null;
  const where = s.partition ? ` (${s.partition})` : "";
  return {
    scope,
    budgetId: s.budgetId,
    limitId: s.limitId,
    partition: s.partition || null,
    remainingTokens: s.remainingTokens,
    remainingCostUsd: s.remainingCostUsd,
    message: `${scope} budget "${s.budgetId}"${where}: ${estimatedTokens} tokens estimated, ${s.remainingTokens} of ${s.limitTokens} left`,
  };
}

async function overCost(
  client: BudgetClient,
  run: LimitState,
  estimatedTokens: number,
  options: CheckOptions,
): Promise<ExceededLimit | null> {
  if (run.remainingCostUsd === null || options.model === undefined) return null;
  const priced = await client.estimateCost({
    model: options.model,
    usage: { outputTokens: estimatedTokens },
    ...(options.provider !== undefined ? { provider: options.provider } : {}),
  });
  if (!priced.ok || priced.costNanoUsd <= usdToNano(run.remainingCostUsd)) return null;
  return {
    scope: "run",
    budgetId: run.budgetId,
    limitId: run.limitId,
    partition: null,
    remainingTokens: run.remainingTokens,
    remainingCostUsd: run.remainingCostUsd,
    message: `run budget "${run.budgetId}": $${formatUsd(priced.costNanoUsd)} estimated, $${run.remainingCostUsd} of $${run.limitCostUsd} left`,
  };
}

/**
 * Whether a task's next call of `estimatedTokens` fits the run, its worker and the task itself.
 * Reservations in flight count as spent, so the answer matches what a reserve would do now.
 */
export async function checkBudget(
  client: BudgetClient,
  input: { runId: string; config: RunConfig; taskId: string; estimatedTokens: number; options: CheckOptions },
): Promise<BudgetCheck> {
  const { runId, config, taskId, estimatedTokens, options } = input;
  const exceeded: ExceededLimit[] = [];
  if (options.model !== undefined && config.allowedModels && !config.allowedModels.includes(options.model)) {
    exceeded.push({
      scope: "model",
      budgetId: null,
      limitId: null,
      partition: null,
      remainingTokens: null,
      remainingCostUsd: null,
      message: `model "${options.model}" is not in the run's allowed models`,
    });
  }
  const run = await runLimitState(client, runId, config);
  const worker =
    options.workerId === undefined
      ? null
      : await partitionLimitState(client, { runId, config, dimension: "worker", value: options.workerId });
  const task = await partitionLimitState(client, { runId, config, dimension: "task", value: taskId });
  const states = { run, worker, task };
  for (const scope of SCOPES) {
    const s = states[scope];
    const over = s ? overTokens(scope, s, estimatedTokens) : null;
    if (over) exceeded.push(over);
  }
  const cost = await overCost(client, run, estimatedTokens, options);
  if (cost) exceeded.push(cost);
  const remaining = [run, worker, task].flatMap((s) =>
    s?.remainingTokens == null ? [] : [s.remainingTokens],
  );
  // The allow-list is not a budget: it refuses in both modes.
  const refused = exceeded.some((e) => e.scope === "model") || config.budgetEnforcementMode === "strict";
  return {
    available: !refused || exceeded.length === 0,
    mode: config.budgetEnforcementMode,
    blockedBy: exceeded[0] ?? null,
    exceeded,
    remainingTokens: remaining.length > 0 ? Math.min(...remaining) : null,
  };
}
