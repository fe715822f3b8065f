import { BudgetError } from "../errors/budget-error.js";
import type {
  Amounts,
  CounterHold,
  CounterIncrement,
  CounterRef,
  Reservation,
  UsageEvent,
} from "../ports/store.js";
import { addAmounts, holdFits, zeroAmounts } from "./amounts.js";

/**
 * The atomic operations of the `Store` port as data, and the pure steps every store plans them
 * with: the in-memory store runs them one at a time, the SQL stores a group-commit batch at once.
 */

/** An atomic store operation (the `Store` methods of the same names). */
export type BatchOp =
  | { kind: "reserve"; reservation: Reservation; holds: CounterHold[] }
  | { kind: "commit"; event: UsageEvent; increments: CounterIncrement[] }
  | { kind: "release"; reservationId: string; status: "released" | "expired" };

/** One op's outcome: its value, or what it threw (it then left no trace). */
export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** The error of settling a reservation that is not active (unknown, committed, released, expired). */
export function notActive(id: string, r: Reservation | null): BudgetError {
  return new BudgetError("reservation_not_active", `reservation ${id} is ${r?.status ?? "unknown"}`, {
    reservationId: id,
    status: r?.status ?? null,
  });
}

/** Every counter key a reservation reads or writes (a batch sorts all its keys into lock order). */
export function holdKeys(holds: CounterHold[]): Set<string> {
  const keys = new Set<string>();
  for (const h of holds) {
    keys.add(h.counter.key);
    for (const k of h.cap?.sumKeys ?? []) keys.add(k);
  }
  return keys;
}

/**
 * Decides the holds against `load` (key → used + reserved; missing keys are zero), in request
 * order, each seeing the ones before it. Mutates `load`. Returns the first hold that does not fit.
 */
export function checkHolds(
  holds: CounterHold[],
  load: Map<string, Amounts>,
): { ok: true } | { ok: false; failedHold: number; current: Amounts } {
  for (const [i, hold] of holds.entries()) {
    if (hold.cap) {
      let current = zeroAmounts();
      for (const k of hold.cap.sumKeys) current = addAmounts(current, load.get(k) ?? zeroAmounts());
      if (!holdFits(hold, current)) return { ok: false, failedHold: i, current };
    }
    load.set(hold.counter.key, addAmounts(load.get(hold.counter.key) ?? zeroAmounts(), hold.amounts));
  }
  return { ok: true };
}

/** One counter's change in a commit or release. `ref` is known for increments (may create the row). */
export interface CounterDelta {
  key: string;
  ref: CounterRef | null;
  used: Amounts;
  reserved: Amounts;
}

const negate = (a: Amounts): Amounts => ({
  tokens: -a.tokens,
  costNanoUsd: -a.costNanoUsd,
  requests: -a.requests,
});

/** Gives back `settled`'s holds and adds `increments`, merged per key. */
export function counterDeltas(
  settled: Reservation | null,
  increments: CounterIncrement[],
): Iterable<CounterDelta> {
  const byKey = new Map<string, CounterDelta>();
  const entry = (key: string): CounterDelta => {
    let d = byKey.get(key);
    if (!d) {
      d = { key, ref: null, used: zeroAmounts(), reserved: zeroAmounts() };
      byKey.set(key, d);
    }
    return d;
  };
  for (const h of settled?.holds ?? []) {
    const d = entry(h.key);
    d.reserved = addAmounts(d.reserved, negate(h.amounts));
  }
  for (const inc of increments) {
    const d = entry(inc.counter.key);
    d.ref = inc.counter;
    d.used = addAmounts(d.used, inc.amounts);
  }
  return byKey.values();
}
