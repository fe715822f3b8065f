import { type Budget, isClosedAt } from "../budget/budget.js";
import type { BudgetChanges } from "../ports/store.js";

/**
 * The memory store's budgets with their change sequence: each put or delete takes the next
 * number; a deleted budget leaves a tombstone so readers of the sequence learn of it.
 */
export function createMemoryBudgets() {
  const budgets = new Map<string, { budget: Budget; seq: number }>();
  const tombstones = new Map<string, number>();
  let seq = 0;
  return {
    put(budget: Budget): number {
      seq += 1;
      budgets.set(budget.id, { budget: structuredClone(budget), seq });
      tombstones.delete(budget.id);
      return seq;
    },
    get(id: string): Budget | null {
      const b = budgets.get(id);
      return b ? structuredClone(b.budget) : null;
    },
    list(openAt?: number): Budget[] {
      return [...budgets.values()]
        .filter((b) => openAt === undefined || !isClosedAt(b.budget, openAt))
        .map((b) => structuredClone(b.budget))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    delete(id: string): boolean {
      if (!budgets.delete(id)) return false;
      seq += 1;
      tombstones.set(id, seq);
      return true;
    },
    seq: () => seq,
    changesSince(since: number): BudgetChanges {
      const changed: Budget[] = [];
      for (const b of budgets.values()) if (b.seq > since) changed.push(structuredClone(b.budget));
      const deleted: string[] = [];
      for (const [id, s] of tombstones) if (s > since) deleted.push(id);
      return { seq, changed, deleted };
    },
  };
}
