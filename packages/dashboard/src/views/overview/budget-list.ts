import type { Budget, LimitStatus } from "../../api/types.js";

/** One budget as the Budgets page lists it: its limits' statuses and its definition. */
export interface BudgetGroup {
  id: string;
  name: string;
  budget: Budget | undefined;
  limits: LimitStatus[];
  /** The highest utilization of its limits (0 when it has none in this window). */
  utilization: number;
  /** The soonest reset of its limits, or null when none resets. */
  resetsAt: number | null;
}

/** Utilization states the page filters by. */
export type BudgetState = "over" | "warn" | "ok";

/** What the person asked for: every field optional. */
export interface BudgetFilter {
  search?: string;
  /** A scope dimension the budget selects on (`component`, `worker`, …). */
  dimension?: string;
  enforcement?: string;
  state?: BudgetState;
  sort?: "used" | "reset" | "name";
}

/** A group's state: over its limit, at 80 % or more, or ok. */
export function stateOf(utilization: number): BudgetState {
  return utilization >= 1 ? "over" : utilization >= 0.8 ? "warn" : "ok";
}

/** Statuses grouped by budget (in the server's order), with every listed budget, even without a row. */
export function groupBudgets(statuses: LimitStatus[], budgets: Budget[]): BudgetGroup[] {
  const byId = new Map(budgets.map((b) => [b.id, b]));
  const groups = new Map<string, BudgetGroup>();
  const group = (id: string, name: string) => {
    let g = groups.get(id);
    if (!g) {
      g = { id, name, budget: byId.get(id), limits: [], utilization: 0, resetsAt: null };
      groups.set(id, g);
    }
    return g;
  };
  for (const s of statuses) {
    const g = group(s.budgetId, s.budgetName);
    g.limits.push(s);
    g.utilization = Math.max(g.utilization, s.utilization);
    if (s.resetsAt !== null) g.resetsAt = g.resetsAt === null ? s.resetsAt : Math.min(g.resetsAt, s.resetsAt);
  }
  for (const b of budgets) group(b.id, b.name ?? b.id);
  return [...groups.values()];
}

function matches(g: BudgetGroup, f: BudgetFilter): boolean {
  const q = f.search?.trim().toLowerCase();
  if (q && ![g.id, g.name, g.budget?.description ?? ""].some((t) => t.toLowerCase().includes(q)))
    return false;
  if (f.dimension && (g.budget?.scope as Record<string, unknown> | undefined)?.[f.dimension] === undefined)
    return false;
  if (f.enforcement && !g.limits.some((l) => l.enforcement === f.enforcement)) return false;
  if (f.state && stateOf(g.utilization) !== f.state) return false;
  return true;
}

const SORTS = {
  used: (a: BudgetGroup, b: BudgetGroup) => b.utilization - a.utilization,
  reset: (a: BudgetGroup, b: BudgetGroup) => (a.resetsAt ?? Infinity) - (b.resetsAt ?? Infinity),
  name: (a: BudgetGroup, b: BudgetGroup) => a.name.localeCompare(b.name),
};

/** The groups that pass the filter, sorted (stable: the server's order breaks ties). */
export function filterBudgets(groups: BudgetGroup[], f: BudgetFilter): BudgetGroup[] {
  const kept = groups.filter((g) => matches(g, f));
  return f.sort ? kept.sort(SORTS[f.sort]) : kept;
}

/** Budgets per page on the Budgets page. */
export const PAGE_SIZE = 25;

/** One page of a list (0-based), and how many pages there are. */
export function pageOf<T>(
  items: T[],
  page: number,
  size = PAGE_SIZE,
): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { items: items.slice(p * size, (p + 1) * size), page: p, pages };
}

/** Cards start expanded only when the list is short; a long list shows one line per budget. */
export function expandedByDefault(count: number): boolean {
  return count <= 5;
}
