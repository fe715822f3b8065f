import type { Dimensions } from "../budget/dimensions.js";
import type { AmountBounds } from "../limits/amount-bounds.js";
import type { Clock } from "../ports/clock.js";
import type { IdSource } from "../ports/ids.js";
import type { Amounts, Reservation, Store } from "../ports/store.js";
import { totalTokens, type Usage } from "../usage/usage.js";
import type { BudgetIndex } from "./budget-index.js";
import type { CompiledBudget } from "./compiled-budget.js";
import type { createPricer } from "./pricing.js";
import type { EngineEvent } from "./requests.js";
import type { WaitSettings } from "./wait.js";

/** What the engine's operations share. */
export interface EngineContext {
  store: Store;
  clock: Clock;
  ids: IdSource;
  price: ReturnType<typeof createPricer>;
  defaultTtlMs: number;
  /** Most one event and one limit may carry. */
  bounds: AmountBounds;
  /**
   * The budgets, indexed; kept current through the store's change sequence (another instance's
   * change is in force within `budgetCacheMs`). The index itself, without a promise, while fresh.
   */
  budgets(): BudgetIndex | Promise<BudgetIndex>;
  invalidateBudgets(): void;
  emit(event: EngineEvent): void;
  /** Reservations this instance made, so a commit needs no read to learn their dimensions. */
  recentReservations: ReturnType<typeof createRecentReservations>;
  /** Alert dedupe keys this instance already stored or saw stored: skips needless writes. */
  seenAlertKeys: Set<string>;
  /** Reservations waiting for capacity here, and the limits of waiting. */
  waiting: WaitSettings;
}

/**
 * Reservations made here, kept (bounded, oldest dropped) until committed or released. Only the
 * dimensions are read from them; the store still decides whether the reservation is active.
 */
export function createRecentReservations(max = 100_000) {
  const byId = new Map<string, Reservation>();
  return {
    add(r: Reservation) {
      if (byId.size >= max) byId.delete(byId.keys().next().value as string);
      byId.set(r.id, r);
    },
    take(id: string): Reservation | undefined {
      const r = byId.get(id);
      byId.delete(id);
      return r;
    },
    drop(id: string) {
      byId.delete(id);
    },
  };
}

/**
 * The budgets whose scope covers `dims` and that are active at `at`, found through the index (not
 * a scan of every budget): the engine's hot set, or `index` (reconcile passes one of every budget).
 */
export async function matchingBudgets(
  ctx: EngineContext,
  dims: Dimensions,
  at: number,
  index?: BudgetIndex,
): Promise<CompiledBudget[]> {
  return (index ?? (await ctx.budgets())).match(dims, at);
}

/** The counter amounts of a usage: all tokens once each, its cost, its requests. */
export function amountsOf(usage: Usage, costNanoUsd: bigint): Amounts {
  return { tokens: totalTokens(usage), costNanoUsd, requests: usage.requests };
}
