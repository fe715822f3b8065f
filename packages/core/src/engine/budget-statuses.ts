import { z } from "zod";
import { type Budget, ENFORCEMENTS } from "../budget/budget.js";
import { DIMENSIONS } from "../budget/dimensions.js";
import type { CompiledBudget } from "./compiled-budget.js";
import type { EngineContext } from "./context.js";
import { resetsAtOf } from "./denial.js";
import type { LimitStatus, StatusSummary } from "./requests.js";
import {
  budgetsFor,
  byUtilization,
  countersOfPlans,
  countsOf,
  plansOf,
  type RowPlan,
  rowOf,
  utilizationOfPlan,
} from "./status.js";

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

/** A budget that passed the filters, with the span of its row plans; rows are built for the page only. */
interface Candidate {
  b: CompiledBudget;
  plans: RowPlan[];
  utilization: number;
  resetsAt: number | null;
}

const collator = new Intl.Collator(); // localeCompare's order, without a collator per comparison
const nameOf = (c: Candidate) => c.b.budget.name ?? c.b.budget.id;
const ORDERS = {
  utilization: (a: Candidate, b: Candidate) => b.utilization - a.utilization,
  reset: (a: Candidate, b: Candidate) =>
    (a.resetsAt ?? Number.POSITIVE_INFINITY) - (b.resetsAt ?? Number.POSITIVE_INFINITY),
  name: (a: Candidate, b: Candidate) => collator.compare(nameOf(a), nameOf(b)),
  id: () => 0,
};

/** The soonest reset of rows, or null when none resets. */
function soonest(resets: Iterable<number | null>): number | null {
  let at: number | null = null;
  for (const r of resets) if (r !== null) at = at === null ? r : Math.min(at, r);
  return at;
}

/**
 * The open budgets with their limit statuses, filtered, sorted and one page at a time — what a
 * Budgets screen shows — with the summary's counts over every open budget. The counters of every
 * open budget are read once (one read per thousand limits): the counts and the order need their
 * utilizations; full status rows are built only for the page.
 */
export async function budgetStatuses(
  ctx: EngineContext,
  query: z.output<typeof budgetStatusQuerySchema>,
): Promise<BudgetStatusPage> {
  const at = ctx.clock.now();
  const open = await budgetsFor(ctx, {}, at);
  const plans = await plansOf(ctx, open, undefined, at);
  const states = await countersOfPlans(ctx, plans);
  const utilizations = plans.map((x) => utilizationOfPlan(x, states));
  const orderBy = query.order ?? "utilization";
  const matching: Candidate[] = [];
  let i = 0;
  for (const b of open) {
    const from = i;
    let utilization = 0;
    for (; i < plans.length && plans[i]!.b === b; i++) utilization = Math.max(utilization, utilizations[i]!);
    if (!budgetPassesFilter(b.budget, query)) continue;
    if (query.state && stateOfUtilization(utilization) !== query.state) continue;
    const own = plans.slice(from, i);
    const resetsAt = orderBy === "reset" ? soonest(own.map((x) => resetsAtOf(x.b, x.l, at))) : null;
    matching.push({ b, plans: own, utilization, resetsAt });
  }
  const order = ORDERS[orderBy];
  matching.sort(
    (a, b) => order(a, b) || (a.b.budget.id < b.b.budget.id ? -1 : a.b.budget.id > b.b.budget.id ? 1 : 0),
  );
  const offset = query.offset ?? 0;
  const items = matching.slice(offset, offset + (query.limit ?? 25)).map((c): BudgetStatus => {
    const limits = c.plans.map((x) => rowOf(x, states, at)).sort(byUtilization);
    return {
      budget: c.b.budget,
      limits,
      utilization: c.utilization,
      resetsAt: soonest(limits.map((l) => l.resetsAt)),
    };
  });
  return { items, total: matching.length, offset, counts: countsOf(open, utilizations, at) };
}
