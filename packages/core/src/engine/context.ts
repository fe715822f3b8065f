import type { Dimensions } from "../budget/dimensions.js";
import type { AmountBounds } from "../limits/amount-bounds.js";
import type { Clock } from "../ports/clock.js";
import type { IdSource } from "../ports/ids.js";
import type { Amounts, Reservation, Store } from "../ports/store.js";
import { totalTokens, type Usage } from "../usage/usage.js";
import { budgetMatches, type CompiledBudget, compileBudget } from "./compiled-budget.js";
import type { createPricer } from "./pricing.js";
import type { EngineEvent } from "./requests.js";

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
   * Budgets, cached for `budgetCacheMs` (another instance's change shows within that time); the
   * cached list itself, without a promise, while it is fresh.
   */
  budgets(): CompiledBudget[] | Promise<CompiledBudget[]>;
  invalidateBudgets(): void;
  emit(event: EngineEvent): void;
  /** Reservations this instance made, so a commit needs no read to learn their dimensions. */
  recentReservations: ReturnType<typeof createRecentReservations>;
  /** Alert dedupe keys this instance already stored or saw stored: skips needless writes. */
  seenAlertKeys: Set<string>;
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

/** A cache of compiled budgets that reloads from the store at most every `ttlMs`. */
export function createBudgetCache(store: Store, clock: Clock, ttlMs: number) {
  let cached: CompiledBudget[] | null = null;
  let loadedAt = 0;
  let loading: Promise<CompiledBudget[]> | null = null;
  return {
    get(): CompiledBudget[] | Promise<CompiledBudget[]> {
      if (cached && clock.now() - loadedAt < ttlMs) return cached;
      loading ??= store.listBudgets().then((list) => {
        cached = list.map(compileBudget);
        loadedAt = clock.now();
        loading = null;
        return cached;
      });
      return loading;
    },
    invalidate() {
      cached = null;
    },
  };
}

/** The budgets whose scope covers `dims`. */
export async function matchingBudgets(ctx: EngineContext, dims: Dimensions): Promise<CompiledBudget[]> {
  return (await ctx.budgets()).filter((b) => budgetMatches(b, dims));
}

/** The counter amounts of a usage: all tokens once each, its cost, its requests. */
export function amountsOf(usage: Usage, costNanoUsd: bigint): Amounts {
  return { tokens: totalTokens(usage), costNanoUsd, requests: usage.requests };
}
