import type { Query } from "../../api/api.js";

/** Utilization states as the page colours them: over its limit, at 80 % or more, or ok. */
export type UtilizationLevel = "over" | "warn" | "ok";

/** A utilization's colour (the thresholds of the server's `over` / `near` / `within`). */
export function stateOf(utilization: number): UtilizationLevel {
  return utilization >= 1 ? "over" : utilization >= 0.8 ? "warn" : "ok";
}

/** What the person asked for, as `GET /v1/status/budgets` takes it: every field optional. */
export interface BudgetFilter {
  search?: string;
  /** A scope dimension the budget selects on (`component`, `worker`, …). */
  dimension?: string;
  enforcement?: string;
  /** Its most used limit: over (≥ 100 %), near (≥ 80 %) or within. */
  state?: "over" | "near" | "within";
  /** `utilization` (the default: most used first), `reset`, `name` or `id`. */
  order?: "reset" | "name" | "id";
}

/** Budgets per page on the Budgets page. */
export const PAGE_SIZE = 25;

/** Whether anything but the order narrows the list. */
export function isFiltered(f: BudgetFilter): boolean {
  return Object.entries(f).some(([k, v]) => k !== "order" && typeof v === "string" && v.trim() !== "");
}

/** The query of one page (0-based) of the filtered list: the search trimmed, empty fields left out. */
export function pageQuery(f: BudgetFilter, page: number): Query {
  return {
    search: f.search?.trim() || undefined,
    dimension: f.dimension,
    enforcement: f.enforcement,
    state: f.state,
    order: f.order,
    offset: page * PAGE_SIZE,
    limit: PAGE_SIZE,
  };
}

/** Cards start expanded only when the list is short; a long list shows one line per budget. */
export function expandedByDefault(count: number): boolean {
  return count <= 5;
}
