export { BudgetExceededError, isBudgetExceededError } from "@budget/calls";
export {
  type Assignment,
  type AssignmentPlan,
  type AvailableWorker,
  type PendingTask,
  type PlanAssignmentInput,
  planAssignment,
} from "./assignment.js";
export { type BudgetCheck, type CheckOptions, checkBudget, type ExceededLimit } from "./budget-check.js";
export {
  parseRunConfig,
  type RunConfig,
  type RunConfigInput,
  runConfigJsonSchema,
  runConfigSchema,
} from "./config.js";
export type { BudgetProgress, ProgressUpdate, RunBudgetSnapshot } from "./progress.js";
export { ensureRunBudgets } from "./run-budgets.js";
export {
  createTokenBudgetManager,
  type RecordedUsage,
  type RemainingBudget,
  type TokenBudgetManager,
  type TokenBudgetManagerOptions,
} from "./token-budget-manager.js";
export type { BudgetWarning, WarningListener } from "./warnings.js";
export {
  createWorkerGuard,
  type GuardedCallContext,
  type GuardedCallOptions,
  type GuardedCallOutcome,
  type GuardedCallResult,
  type WorkerGuard,
  type WorkerGuardOptions,
  type WorkerHalt,
} from "./worker-guard.js";
