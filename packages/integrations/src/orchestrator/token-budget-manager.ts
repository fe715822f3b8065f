import {
  type BudgetClient,
  buildUsageReport,
  type CommitResult,
  formatUsd,
  type RunRecord,
  totalTokens,
  type Usage,
  type UsageReport,
} from "@budget/core";
import { type AssignmentPlan, type PendingTask, planAssignment } from "./assignment.js";
import { type BudgetCheck, type CheckOptions, checkBudget } from "./budget-check.js";
import { allPartitionStates, type LimitState, runLimitState } from "./budget-state.js";
import { parseRunConfig, type RunConfig, type RunConfigInput } from "./config.js";
import { buildProgress, type ProgressUpdate } from "./progress.js";
import { callDimensions, ensureRunBudgets, type RunBudgetIds, runBudgetIds } from "./run-budgets.js";
import { type BudgetWarning, type WarningListener, warningsFromAlerts } from "./warnings.js";
import { createWorkerGuard, type WorkerGuard } from "./worker-guard.js";

/** Options of {@link createTokenBudgetManager}. */
export interface TokenBudgetManagerOptions {
  /** The in-process engine or the HTTP client: anything speaking `BudgetClient`. */
  client: BudgetClient;
  runId: string;
  config: RunConfigInput;
  /** The `provider` dimension of every call (resolves the price). */
  provider?: string;
  /** Threshold crossings and passed warn-only limits (soft mode goes on after them). */
  onWarning?: WarningListener;
}

/** The run's budget left, with each worker's and task's. */
export interface RemainingBudget extends LimitState {
  /** Run tokens left (null: no token limit); reservations in flight count as spent. */
  tokens: number | null;
  costUsd: string | null;
  workers: Record<string, LimitState>;
  tasks: Record<string, LimitState>;
}

/** A recorded call: the ledger event's tokens and cost, and the warnings it raised. */
export interface RecordedUsage {
  tokens: number;
  costUsd: string;
  warnings: BudgetWarning[];
  result: CommitResult;
}

/** A run's budgets: record, check, read, report, reset; plus run lifecycle and worker guards. */
export interface TokenBudgetManager {
  readonly runId: string;
  readonly config: RunConfig;
  readonly budgetIds: RunBudgetIds;
  /** Creates or updates the run, worker and task budgets (done once, lazily, by every method). */
  ensureBudgets(): Promise<void>;
  /** Records a call made without a reservation (e.g. by code outside a worker guard). */
  recordUsage(
    taskId: string,
    model: string,
    usage: Partial<Usage>,
    options?: { workerId?: string; costUsd?: string; idempotencyKey?: string },
  ): Promise<RecordedUsage>;
  /** Whether `estimatedTokens` more would fit the run, the task and (given) the worker; holds nothing. */
  checkBudgetAvailable(taskId: string, estimatedTokens: number, options?: CheckOptions): Promise<BudgetCheck>;
  getRemainingBudget(): Promise<RemainingBudget>;
  /** Per-worker, per-task and per-model tokens and cost since the last reset, from the ledger. */
  getUsageReport(): Promise<UsageReport>;
  /** Starts the run's counting over (the ledger keeps every event). */
  resetBudget(): Promise<void>;
  /** Plans which tasks start on which workers against what is left now. */
  planAssignment<T extends PendingTask>(
    tasks: readonly T[],
    workerIds?: readonly string[],
  ): Promise<AssignmentPlan<T>>;
  progress(completed: number, total: number): Promise<ProgressUpdate>;
  createWorkerGuard(workerId: string, options?: { onWarning?: WarningListener }): WorkerGuard;
  /** Persists the run as `running` with its configuration, and creates its budgets. */
  startRun(name: string): Promise<RunRecord>;
  /** Persists the run's end, with the usage report and halt reason as its summary. */
  finishRun(input: { status: "completed" | "halted" | "failed"; haltReason?: string }): Promise<RunRecord>;
}

/**
 * Creates the token budget manager of one run. Its limits live in the budget service as three
 * budgets (`run:R`, `run:R:worker` with a partition per worker, `run:R:task` per task), so they
 * hold across every process sharing the service or store.
 *
 * @example
 * const manager = createTokenBudgetManager({ client: engine, runId: "r1",
 *   config: { totalBudgetLimit: { tokens: 50_000 }, maxTokensPerWorker: 20_000 } });
 * await manager.startRun("nightly");
 * const guard = manager.createWorkerGuard("w1");
 */
export function createTokenBudgetManager(options: TokenBudgetManagerOptions): TokenBudgetManager {
  const { client, runId, provider } = options;
  const config = parseRunConfig(options.config);
  const ids = runBudgetIds(runId);
  let ensured: Promise<void> | null = null;
  const ready = () => {
    ensured ??= ensureRunBudgets(client, runId, config).catch((err) => {
      ensured = null; // let a later call retry
      throw err;
    });
    return ensured;
  };
  const resetAt = async () => (await client.getBudget(ids.run))?.resetAt ?? null;

  const manager: TokenBudgetManager = {
    runId,
    config,
    budgetIds: ids,
    ensureBudgets: ready,
    async recordUsage(taskId, model, usage, opts = {}) {
      await ready();
      const result = await client.record({
        dimensions: callDimensions({ runId, workerId: opts.workerId, taskId, model, provider }),
        usage,
        ...(opts.costUsd !== undefined ? { costUsd: opts.costUsd } : {}),
        ...(opts.idempotencyKey !== undefined ? { idempotencyKey: opts.idempotencyKey } : {}),
      });
      const warnings = warningsFromAlerts(result.alerts, { workerId: opts.workerId ?? null, taskId });
      for (const w of warnings) options.onWarning?.(w);
      return {
        tokens: totalTokens(result.event.usage),
        costUsd: formatUsd(result.event.costNanoUsd),
        warnings,
        result,
      };
    },
    async checkBudgetAvailable(taskId, estimatedTokens, opts = {}) {
      await ready();
      return checkBudget(client, {
        runId,
        config,
        taskId,
        estimatedTokens,
        options: { ...(provider !== undefined ? { provider } : {}), ...opts },
      });
    },
    async getRemainingBudget() {
      await ready();
      const [run, workers, tasks] = await Promise.all([
        runLimitState(client, runId, config),
        allPartitionStates(client, { runId, config, dimension: "worker" }),
        allPartitionStates(client, { runId, config, dimension: "task" }),
      ]);
      return { ...run, tokens: run.remainingTokens, costUsd: run.remainingCostUsd, workers, tasks };
    },
    async getUsageReport() {
      await ready();
      return buildUsageReport(client, runId, await resetAt());
    },
    async resetBudget() {
      await ready();
      for (const b of await Promise.all([ids.run, ids.worker, ids.task].map((id) => client.getBudget(id)))) {
        if (b) await client.resetBudget(b.id);
      }
    },
    async planAssignment(tasks, workerIds) {
      const remaining = await manager.getRemainingBudget();
      const workers = workerIds?.map((id) => ({
        id,
        remainingTokens: remaining.workers[id]?.remainingTokens ?? config.maxTokensPerWorker ?? null,
      }));
      return planAssignment({
        tasks,
        remaining: remaining.tokens,
        mode: config.budgetEnforcementMode,
        maxTokensPerTask: config.maxTokensPerTask,
        ...(workers ? { workers } : {}),
      });
    },
    async progress(completed, total) {
      await ready();
      return buildProgress({ completed, total, run: await runLimitState(client, runId, config) });
    },
    createWorkerGuard(workerId, guardOptions = {}) {
      const onWarning = guardOptions.onWarning ?? options.onWarning;
      return createWorkerGuard({
        client,
        runId,
        workerId,
        ready,
        ...(provider !== undefined ? { provider } : {}),
        ...(config.allowedModels ? { allowedModels: config.allowedModels } : {}),
        ...(onWarning ? { onWarning } : {}),
      });
    },
    async startRun(name) {
      const run = await client.startRun({ id: runId, name, config: { ...config } });
      await ready();
      return run;
    },
    async finishRun({ status, haltReason }) {
      const usage = await manager.getUsageReport();
      const { runId: _, ...totals } = usage;
      return client.finishRun(runId, {
        status,
        summary: { ...(haltReason !== undefined ? { haltReason } : {}), ...totals },
      });
    },
  };
  return manager;
}
