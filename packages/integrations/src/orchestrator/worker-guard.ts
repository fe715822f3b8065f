import { BudgetExceededError } from "@budget/calls";
import { type BudgetClient, BudgetError, formatUsd, totalTokens, type Usage } from "@budget/core";
import { callDimensions, runBudgetIds } from "./run-budgets.js";
import {
  type BudgetWarning,
  type WarningListener,
  warningsFromAlerts,
  warningsFromReserve,
} from "./warnings.js";

/** Options of {@link createWorkerGuard}. */
export interface WorkerGuardOptions {
  client: BudgetClient;
  runId: string;
  workerId: string;
  /** The `provider` dimension of every call (resolves the price). */
  provider?: string;
  /** When set, any other model is refused before anything is reserved. */
  allowedModels?: readonly string[];
  /** Called for each threshold crossed and each warn-only limit passed; the worker goes on. */
  onWarning?: WarningListener;
  /** Reservation TTL (the engine's default when absent). */
  ttlMs?: number;
  /** Awaited before each reservation: the manager creates the run's budgets there, once. */
  ready?: () => Promise<void>;
}

/** One guarded model call. */
export interface GuardedCallOptions {
  model: string;
  /** Prompt tokens counted or estimated, plus the maximum output tokens. */
  estimate: Partial<Usage>;
  priority?: "low" | "normal" | "high" | "critical";
}

/** What the guarded function is told: the reservation and the model to call (a fallback, maybe). */
export interface GuardedCallContext {
  reservationId: string;
  model: string;
}

/** What the guarded function returns: its value and the usage the provider reported. */
export interface GuardedCallOutcome<T> {
  value: T;
  usage: Partial<Usage>;
}

/** A guarded call's result: the value, what it cost, and the warnings it raised. */
export interface GuardedCallResult<T> {
  value: T;
  tokens: number;
  costUsd: string;
  warnings: BudgetWarning[];
}

/** Why a worker stopped: a run or worker limit left no room for its next call. */
export interface WorkerHalt {
  taskId: string;
  reason: string;
  error: BudgetExceededError;
}

/** Reserve → call → commit (or release), for one worker of one run. */
export interface WorkerGuard {
  readonly workerId: string;
  /** Set once a run or worker limit denied a call; every later call throws its error. */
  readonly halted: WorkerHalt | null;
  /**
   * Reserves `estimate`, runs `fn`, commits the usage it reports; releases the hold when `fn`
   * throws. A denial throws {@link BudgetExceededError}; a task limit fails only that task, any
   * other limit halts the worker.
   */
  call<T>(
    taskId: string,
    options: GuardedCallOptions,
    fn: (ctx: GuardedCallContext) => Promise<GuardedCallOutcome<T>>,
  ): Promise<GuardedCallResult<T>>;
}

/**
 * Creates the budget guard of one worker.
 *
 * @example
 * const guard = createWorkerGuard({ client, runId: "r1", workerId: "w1" });
 * const { value } = await guard.call("t1", { model, estimate: { inputTokens: 200, outputTokens: 300 } },
 *   async ({ model }) => { const c = await openai.chat.completions.create({ model, messages });
 *     return { value: c, usage: normalizeOpenAiUsage(c).usage }; });
 */
export function createWorkerGuard(options: WorkerGuardOptions): WorkerGuard {
  const { client, runId, workerId } = options;
  const taskBudgetId = runBudgetIds(runId).task;
  const warned = new Set<string>();
  let halted: WorkerHalt | null = null;

  const surface = (warnings: BudgetWarning[]) => {
    const fresh = warnings.filter((w) => {
      // A warn-only limit stays passed: say so once per worker, not on every call.
      const key = `${w.kind}|${w.budgetId}|${w.limitId}|${w.partition ?? ""}|${w.threshold ?? ""}`;
      if (warned.has(key)) return false;
      warned.add(key);
      return true;
    });
    for (const w of fresh) options.onWarning?.(w);
    return fresh;
  };

  return {
    workerId,
    get halted() {
      return halted;
    },
    async call(taskId, call, fn) {
      if (halted) throw halted.error;
      if (options.allowedModels && !options.allowedModels.includes(call.model)) {
        throw new BudgetError("forbidden", `model "${call.model}" is not in the run's allowed models`, {
          field: "model",
          allowed: options.allowedModels,
        });
      }
      await options.ready?.();
      const who = { workerId, taskId };
      const dimensions = callDimensions({
        runId,
        workerId,
        taskId,
        model: call.model,
        provider: options.provider,
      });
      const reserved = await client.reserve({
        dimensions,
        estimate: call.estimate,
        ...(call.priority ? { priority: call.priority } : {}),
        ...(options.ttlMs !== undefined ? { ttlMs: options.ttlMs } : {}),
      });
      if (reserved.status === "denied") {
        const error = new BudgetExceededError(reserved.denial);
        const d = reserved.denial;
        if (d.reason === "limit_exceeded" && d.budgetId !== taskBudgetId) {
          halted = { taskId, reason: `worker ${workerId} halted: ${d.message}`, error };
        }
        throw error;
      }
      const warnings = surface(warningsFromReserve(reserved.warnings, who));
      const model = reserved.fallbackModel ?? call.model;
      let outcome: GuardedCallOutcome<Awaited<ReturnType<typeof fn>>["value"]>;
      try {
        outcome = await fn({ reservationId: reserved.reservationId, model });
      } catch (err) {
        await client.release(reserved.reservationId);
        throw err;
      }
      const committed = await client.commit({
        reservationId: reserved.reservationId,
        usage: outcome.usage,
        ...(model !== call.model ? { model } : {}),
      });
      warnings.push(...surface(warningsFromAlerts(committed.alerts, who)));
      return {
        value: outcome.value,
        tokens: totalTokens(committed.event.usage),
        costUsd: formatUsd(committed.event.costNanoUsd),
        warnings,
      };
    },
  };
}
