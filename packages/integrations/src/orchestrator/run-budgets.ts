import type { BudgetClient, BudgetInput, Dimensions, Enforcement } from "@budget/core";
import type { RunConfig } from "./config.js";

/** The `component` dimension every orchestrator call carries. */
export const ORCHESTRATOR_COMPONENT = "orchestrator";

/** The ids of a run's three budgets. */
export interface RunBudgetIds {
  run: string;
  worker: string;
  task: string;
}

/** `run:R`, `run:R:worker` and `run:R:task`. */
export function runBudgetIds(runId: string): RunBudgetIds {
  return { run: `run:${runId}`, worker: `run:${runId}:worker`, task: `run:${runId}:task` };
}

/** The limit id used in every run budget (one lifetime limit each). */
export const RUN_LIMIT_ID = "lifetime";

/** strict → hard_limit (deny), soft → warn (allow, alert). */
export function enforcementOf(config: RunConfig): Enforcement {
  return config.budgetEnforcementMode === "strict" ? "hard_limit" : "warn";
}

/** Alert thresholds: the configured warning share, plus the limit itself. */
function thresholdsOf(config: RunConfig): number[] {
  return [...new Set([config.budgetWarningThreshold, 1])].sort((a, b) => a - b);
}

/**
 * The budgets a run maps onto: the whole run, each worker (`each` partition) and each task, all
 * lifetime limits. Per-worker and per-task budgets exist only when their maximum is configured.
 */
export function runBudgetInputs(runId: string, config: RunConfig): BudgetInput[] {
  const ids = runBudgetIds(runId);
  const common = { enforcement: enforcementOf(config), thresholds: thresholdsOf(config) };
  const lifetime = { type: "lifetime" as const };
  const out: BudgetInput[] = [
    {
      id: ids.run,
      name: `run ${runId}`,
      scope: { run: runId },
      limits: [
        {
          id: RUN_LIMIT_ID,
          window: lifetime,
          ...common,
          ...(config.totalBudgetLimit.tokens !== undefined ? { tokens: config.totalBudgetLimit.tokens } : {}),
          ...(config.totalBudgetLimit.costUsd !== undefined ? { cost: config.totalBudgetLimit.costUsd } : {}),
        },
      ],
    },
  ];
  if (config.maxTokensPerWorker !== undefined) {
    out.push({
      id: ids.worker,
      name: `run ${runId}, each worker`,
      scope: { run: runId, worker: { each: true } },
      limits: [{ id: RUN_LIMIT_ID, window: lifetime, ...common, tokens: config.maxTokensPerWorker }],
    });
  }
  if (config.maxTokensPerTask !== undefined) {
    out.push({
      id: ids.task,
      name: `run ${runId}, each task`,
      scope: { run: runId, task: { each: true } },
      limits: [{ id: RUN_LIMIT_ID, window: lifetime, ...common, tokens: config.maxTokensPerTask }],
    });
  }
  return out;
}

/** Creates (or updates) a run's budgets on the client. */
export async function ensureRunBudgets(
  client: BudgetClient,
  runId: string,
  config: RunConfig,
): Promise<void> {
  for (const b of runBudgetInputs(runId, config)) await client.upsertBudget(b);
}

/** The dimensions of one orchestrator call. */
export function callDimensions(input: {
  runId: string;
  workerId?: string | undefined;
  taskId: string;
  model: string;
  provider?: string | undefined;
}): Dimensions {
  return {
    component: ORCHESTRATOR_COMPONENT,
    run: input.runId,
    task: input.taskId,
    model: input.model,
    ...(input.workerId !== undefined ? { worker: input.workerId } : {}),
    ...(input.provider !== undefined ? { provider: input.provider } : {}),
  };
}

/** The `each` partition key the engine uses for one value (`worker=w1`). */
export function partitionKey(dimension: "worker" | "task", value: string): string {
  return `${dimension}=${encodeURIComponent(value)}`;
}
