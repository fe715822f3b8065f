import { type Budget, isActiveAt } from "../budget/budget.js";
import type { Dimension, Dimensions } from "../budget/dimensions.js";
import { budgetMatches, type CompiledBudget, compileBudget } from "./compiled-budget.js";

/**
 * The dimension a budget is filed under when its scope names several values, most selective
 * first: a run's task or worker budget is found through its task, worker or run, never through the
 * model or component it shares with thousands of others.
 */
const KEY_ORDER: readonly Dimension[] = [
  "task",
  "worker",
  "run",
  "apiKey",
  "user",
  "project",
  "taskType",
  "component",
  "model",
  "tier",
  "provider",
];

const TAG = "tags";

/**
 * The enabled budgets, filed by one value their scope names (dimension value → the budgets naming
 * it) plus the wildcard ones (naming no value: `{}`, only `each` dimensions): finding the budgets
 * of a call costs one lookup per dimension the call carries plus the budgets found, not a scan of
 * every budget. An `each` budget stays one entry whatever its partitions. Budgets outside their
 * active period are held but not matched.
 */
export interface BudgetIndex {
  /** The budgets whose scope covers `dims` and whose active period contains `at`, ordered by id. */
  match(dims: Dimensions, at: number): CompiledBudget[];
  /** The budgets whose scope names run `runId` (disabled ones included), ordered by id. */
  withRun(runId: string): CompiledBudget[];
  /** A budget by id (disabled ones included). */
  get(id: string): CompiledBudget | undefined;
  /** Every budget held, ordered by id. */
  all(): CompiledBudget[];
  /** Adds or replaces a budget (compiling it). */
  put(budget: Budget): void;
  /** Forgets a budget; false when it was not held. */
  remove(id: string): boolean;
  readonly size: number;
}

/** The key a budget is filed under, or null for a wildcard budget. */
export function indexKeyOf(budget: Budget): string | null {
  for (const d of KEY_ORDER) {
    const v = budget.scope[d];
    if (typeof v === "string") return `${d}\u0000${v}`;
  }
  const tag = budget.scope.tags?.[0];
  return tag === undefined ? null : `${TAG}\u0000${tag}`;
}

/** Builds an index over `budgets` (see {@link BudgetIndex}). */
export function createBudgetIndex(budgets: Iterable<Budget> = []): BudgetIndex {
  const byId = new Map<string, CompiledBudget>();
  const byKey = new Map<string, Map<string, CompiledBudget>>();
  const wildcard = new Map<string, CompiledBudget>();
  const byRun = new Map<string, Set<string>>();
  let sorted: CompiledBudget[] | null = null;

  const unfile = (b: CompiledBudget) => {
    const run = b.budget.scope.run;
    if (typeof run === "string") {
      const ids = byRun.get(run);
      ids?.delete(b.budget.id);
      if (ids?.size === 0) byRun.delete(run);
    }
    const key = indexKeyOf(b.budget);
    if (key === null) wildcard.delete(b.budget.id);
    else {
      const bucket = byKey.get(key);
      bucket?.delete(b.budget.id);
      if (bucket?.size === 0) byKey.delete(key);
    }
  };
  const file = (b: CompiledBudget) => {
    const run = b.budget.scope.run;
    if (typeof run === "string") byRun.set(run, (byRun.get(run) ?? new Set()).add(b.budget.id));
    if (!b.budget.enabled) return;
    const key = indexKeyOf(b.budget);
    if (key === null) wildcard.set(b.budget.id, b);
    else {
      let bucket = byKey.get(key);
      if (!bucket) {
        bucket = new Map();
        byKey.set(key, bucket);
      }
      bucket.set(b.budget.id, b);
    }
  };
  const index: BudgetIndex = {
    match(dims, at) {
      const out: CompiledBudget[] = [];
      const take = (bucket: Map<string, CompiledBudget> | undefined) => {
        if (bucket)
          for (const b of bucket.values())
            if (budgetMatches(b, dims) && isActiveAt(b.budget, at)) out.push(b);
      };
      take(wildcard);
      for (const d of KEY_ORDER) {
        const v = dims[d];
        if (v !== undefined) take(byKey.get(`${d}\u0000${v}`));
      }
      // Tag buckets only hold budgets naming no dimension value, so no budget is found twice.
      if (dims.tags) for (const t of new Set(dims.tags)) take(byKey.get(`${TAG}\u0000${t}`));
      return out.length > 1 ? out.sort((a, b) => (a.budget.id < b.budget.id ? -1 : 1)) : out;
    },
    get: (id) => byId.get(id),
    withRun(runId) {
      const ids = byRun.get(runId);
      if (!ids) return [];
      return [...ids].sort().flatMap((id) => {
        const b = byId.get(id);
        return b ? [b] : [];
      });
    },
    all() {
      sorted ??= [...byId.values()].sort((a, b) => (a.budget.id < b.budget.id ? -1 : 1));
      return sorted;
    },
    put(budget) {
      const prev = byId.get(budget.id);
      if (prev) unfile(prev);
      const compiled = compileBudget(budget);
      byId.set(budget.id, compiled);
      file(compiled);
      sorted = null;
    },
    remove(id) {
      const prev = byId.get(id);
      if (!prev) return false;
      unfile(prev);
      byId.delete(id);
      sorted = null;
      return true;
    },
    get size() {
      return byId.size;
    },
  };
  for (const b of budgets) index.put(b);
  return index;
}
