/** A task waiting to start. */
export interface PendingTask {
  id: string;
  estimatedTokens: number;
  /** Higher goes first (default 0); equal priorities keep the given order. */
  priority?: number;
}

/** A worker that can take tasks, with its tokens left (null: no worker limit). */
export interface AvailableWorker {
  id: string;
  remainingTokens: number | null;
}

/** One task to start, and on which worker (null when no workers were given). */
export interface Assignment<T extends PendingTask> {
  task: T;
  workerId: string | null;
  /** Soft mode only: the task starts although its estimate does not fit. */
  overBudget: boolean;
}

/** Which tasks start, in order, and which were skipped and why. */
export interface AssignmentPlan<T extends PendingTask> {
  assignments: Assignment<T>[];
  skipped: { task: T; reason: string }[];
  /** Run tokens left after the assigned estimates (null: no run token limit). */
  remainingTokens: number | null;
}

/** Input of {@link planAssignment}. */
export interface PlanAssignmentInput<T extends PendingTask> {
  tasks: readonly T[];
  /** Run tokens left (null: no token limit). */
  remaining: number | null;
  mode: "strict" | "soft";
  maxTokensPerTask?: number | undefined;
  /** When given, each task goes to the worker with the most room that fits it (ties: given order). */
  workers?: readonly AvailableWorker[];
}

const fits = (need: number, left: number | null) => left === null || need <= left;

/** Picks the worker with the most tokens left that fits `need`; unlimited workers count as most. */
function pickWorker(workers: { id: string; left: number | null }[], need: number) {
  let best: { id: string; left: number | null } | null = null;
  for (const w of workers) {
    if (!fits(need, w.left)) continue;
    if (!best || (best.left !== null && (w.left === null || w.left > best.left))) best = w;
  }
  return best;
}

/**
 * Plans which pending tasks to start, by priority (highest first, then given order), against the
 * run's remaining tokens and, when given, each worker's. A task that does not fit is skipped and
 * later, smaller ones may still fit. In `strict` mode a task whose estimate cannot fit is never
 * started; in `soft` mode it starts marked `overBudget` (limits only warn).
 *
 * @example
 * planAssignment({ tasks: [{ id: "a", estimatedTokens: 800, priority: 2 }, { id: "b", estimatedTokens: 300 }],
 *   remaining: 1000, mode: "strict" }).assignments.map((a) => a.task.id) // ["a"]; "b" no longer fits
 */
export function planAssignment<T extends PendingTask>(input: PlanAssignmentInput<T>): AssignmentPlan<T> {
  const order = input.tasks
    .map((task, index) => ({ task, index }))
    .sort((a, b) => (b.task.priority ?? 0) - (a.task.priority ?? 0) || a.index - b.index);
  const workers = input.workers?.map((w) => ({ id: w.id, left: w.remainingTokens }));
  let left = input.remaining;
  const plan: AssignmentPlan<T> = { assignments: [], skipped: [], remainingTokens: left };
  for (const { task } of order) {
    const need = task.estimatedTokens;
    let reason: string | null = null;
    if (input.maxTokensPerTask !== undefined && need > input.maxTokensPerTask) {
      reason = `estimate ${need} exceeds maxTokensPerTask ${input.maxTokensPerTask}`;
    } else if (!fits(need, left)) {
      reason = `estimate ${need} does not fit the ${left} run tokens left`;
    }
    let worker = workers ? pickWorker(workers, need) : null;
    if (reason === null && workers && !worker) reason = `no worker has ${need} tokens left`;
    if (reason !== null && input.mode === "strict") {
      plan.skipped.push({ task, reason });
      continue;
    }
    // Soft mode: a task that fits nowhere goes to the worker with the most room anyway.
    if (workers && !worker) worker = pickWorker(workers, 0);
    if (worker && worker.left !== null) worker.left = Math.max(0, worker.left - need);
    if (left !== null) left = Math.max(0, left - need);
    plan.assignments.push({ task, workerId: worker?.id ?? null, overBudget: reason !== null });
  }
  plan.remainingTokens = left;
  return plan;
}
