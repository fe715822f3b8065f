import { type Budget, isClosedAt } from "../budget/budget.js";
import type { Clock } from "../ports/clock.js";
import type { Store } from "../ports/store.js";
import { type BudgetIndex, createBudgetIndex } from "./budget-index.js";

/**
 * The engine's budgets: loaded once into a {@link BudgetIndex}, then kept current through the
 * store's change sequence. At most every `refreshMs` a call reads the sequence (one cheap read) and,
 * when it moved, reads only the budgets changed or deleted since; so a change committed by any
 * instance is in force here for every call that starts `refreshMs` or more after it. This
 * instance's own writes are in force at once, and are not read back when nobody else wrote in
 * between. Closed budgets (`activeUntil` passed) are not loaded.
 */
export interface BudgetCache {
  /** The index, or a promise of it while a check of the sequence is due. */
  get(): BudgetIndex | Promise<BudgetIndex>;
  /** Makes the next `get` check the sequence (after this instance's own writes). */
  invalidate(): void;
  /**
   * This instance stored `budget`, taking change `seq`: applied to the index when it is the next
   * change, so it is never read back; otherwise as {@link BudgetCache.invalidate}.
   */
  wrote(budget: Budget, seq: number): void;
}

/** Creates a {@link BudgetCache} over `store`. */
export function createBudgetCache(store: Store, clock: Clock, refreshMs: number): BudgetCache {
  let index: BudgetIndex | null = null;
  let seq = 0;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let checking: Promise<BudgetIndex> | null = null;

  const loadAll = async (): Promise<BudgetIndex> => {
    // The sequence before the list: a change between the two is read again, never missed.
    const at = await store.budgetSeq();
    const fresh = createBudgetIndex(await store.listBudgets({ openAt: clock.now() }));
    seq = at;
    index = fresh;
    return fresh;
  };
  const refresh = async (): Promise<BudgetIndex> => {
    if (!index) return loadAll();
    const at = await store.budgetSeq();
    if (at === seq) return index;
    // A sequence that went back is another database (restored, recreated): start over.
    if (at < seq) return loadAll();
    const changes = await store.budgetChangesSince(seq);
    const now = clock.now();
    // Closed budgets leave the hot set; a reopened one comes back through its change.
    for (const b of changes.changed)
      if (isClosedAt(b, now)) index.remove(b.id);
      else index.put(b);
    for (const id of changes.deleted) index.remove(id);
    seq = changes.seq;
    return index;
  };

  return {
    get() {
      const now = clock.now();
      if (index && checking === null && now - checkedAt < refreshMs) return index;
      if (checking) return checking;
      checkedAt = now;
      checking = refresh().finally(() => {
        checking = null;
      });
      return checking;
    },
    invalidate() {
      checkedAt = Number.NEGATIVE_INFINITY;
    },
    wrote(budget, at) {
      // While a check is out, its answer may predate this write: leave the write to the next check.
      if (!index || checking !== null || at !== seq + 1) {
        checkedAt = Number.NEGATIVE_INFINITY;
        return;
      }
      if (isClosedAt(budget, clock.now())) index.remove(budget.id);
      else index.put(budget);
      seq = at;
    },
  };
}
