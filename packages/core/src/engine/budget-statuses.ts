import { z } from "zod";
import { type Budget, ENFORCEMENTS } from "../budget/budget.js";
import { DIMENSIONS } from "../budget/dimensions.js";
import type { EngineContext } from "./context.js";
import type { LimitStatus, StatusSummary } from "./requests.js";
import { budgetsFor, byUtilization, countsOf, rowsOf } from "./status.js";

/** A budget's state: its most used limit over (≥ 100 %), near (≥ 80 %) or within its limit. */
export type BudgetState = "over" | "near" | "within";

/** Zod schema of a {@link BudgetStatusQuery}. */
export const budgetStatusQuerySchema = z
  .object({
    /** Case-insensitive part of the budget's id, name or description. */
    search: z.string().max(256).optional(),
    /** Budgets whose scope selects on this dimension (a value or `each`). */
    dimension: z.enum(DIMENSIONS).optional(),
    /** Budgets with a limit of this enforcement. */
    enforcement: z.enum(ENFORCEMENTS).optional(),
    /** Budgets in this state (see {@link BudgetState}). */
    state: z.enum(["over", "near", "within"]).optional(),
    /**
     * `utilization` (default): the most used first; `reset`: the soonest reset first; `name`; `id`.
     * Ties by id.
     */
    order: z.enum(["utilization", "reset", "name", "id"]).optional(),
    /** Budgets skipped (the page start). */
    offset: z.number().int().min(0).max(10_000_000).optional(),
    /** Budgets returned (default 25). */
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

/** Which open budgets to list, in which order, which page. */
export type BudgetStatusQuery = z.input<typeof budgetStatusQuerySchema>;

/** One budget with the status of each of its limits (and partitions) in their current windows. */
export interface BudgetStatus {
  budget: Budget;
  /** One row per limit and partition; none for an `each` limit without usage in its window. */
  limits: LimitStatus[];
  /** The highest utilization of its limits (0 without rows). */
  utilization: number;
  /** The soonest reset of its limits, or null when none resets. */
  resetsAt: number | null;
}

/** A page of {@link BudgetStatus}: `total` budgets match; `counts` cover every open budget. */
export interface BudgetStatusPage {
  items: BudgetStatus[];
  total: number;
  offset: number;
  counts: StatusSummary["counts"];
}

/** The state of a utilization (the thresholds of the summary's counts). */
export function stateOfUtilization(utilization: number): BudgetState {
  return utilization >= 1 ? "over" : utilization >= 0.8 ? "near" : "within";
}

/** Whether a budget's definition passes the query's search, dimension and enforcement filters. */
export function budgetPassesFilter(budget: Budget, query: BudgetStatusQuery): boolean {
  const q = query.search?.trim().toLowerCase();
  if (q && ![budget.id, budget.name ?? "", budget.description ?? ""].some((t) => t.toLowerCase().includes(q)))
    return false;
  if (query.dimension && budget.scope[query.dimension] === undefined) return false;
  if (query.enforcement && !budget.limits.some((l) => l.enforcement === query.enforcement)) return false;
  return true;
}

const ORDERS = {
  utilization: (a: BudgetStatus, b: BudgetStatus) => b.utilization - a.utilization,
  reset: (a: BudgetStatus, b: BudgetStatus) =>
    (a.resetsAt ?? Number.POSITIVE_INFINITY) - (b.resetsAt ?? Number.POSITIVE_INFINITY),
  name: (a: BudgetStatus, b: BudgetStatus) =>
    (a.budget.name ?? a.budget.id).localeCompare(b.budget.name ?? b.budget.id),
  id: () => 0,
};

/**
 * The open budgets with their limit statuses, filtered, sorted and one page at a time — what a
 * Budgets screen shows — with the summary's counts over every open budget. The counters of every
 * open budget are read once (one read per thousand limits): the counts and the order need them.
 */
export async function budgetStatuses(
  ctx: EngineContext,
  query: z.output<typeof budgetStatusQuerySchema>,
): Promise<BudgetStatusPage> {
  const at = ctx.clock.now();
  const open = await budgetsFor(ctx, {}, at);
  const rows = await rowsOf(ctx, open, undefined, at);
  const counts = countsOf(open, rows, at);
  const byBudget = new Map<string, LimitStatus[]>();
  for (const r of rows) {
    const list = byBudget.get(r.budgetId);
    if (list) list.push(r);
    else byBudget.set(r.budgetId, [r]);
  }
  const matching: BudgetStatus[] = [];
  for (const b of open) {
    if (!budgetPassesFilter(b.budget, query)) continue;
    const limits = (byBudget.get(b.budget.id) ?? []).sort(byUtilization);
    let resetsAt: number | null = null;
    for (const l of limits)
      if (l.resetsAt !== null) resetsAt = resetsAt === null ? l.resetsAt : Math.min(resetsAt, l.resetsAt);
    const item = { budget: b.budget, limits, utilization: limits[0]?.utilization ?? 0, resetsAt };
    if (query.state && stateOfUtilization(item.utilization) !== query.state) continue;
    matching.push(item);
  }
  const order = ORDERS[query.order ?? "utilization"];
  matching.sort(
    (a, b) => order(a, b) || (a.budget.id < b.budget.id ? -1 : a.budget.id > b.budget.id ? 1 : 0),
  );
  const offset = query.offset ?? 0;
  return {
    items: matching.slice(offset, offset + (query.limit ?? 25)),
    total: matching.length,
    offset,
    counts,
  };
}
