import {
  type Amounts,
  addAmounts,
  type CounterHold,
  type CounterIncrement,
  type CounterRef,
  holdFits,
  type Reservation,
  USAGE_FIELDS,
  zeroAmounts,
} from "@budget/core";
import { USAGE_COLUMNS } from "../schema/columns.js";

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

/** Rollup columns that are summed on upsert. */
export const ROLLUP_SUM_COLUMNS: readonly string[] = [
  "events",
  "tokens",
  "cost_nano",
  ...USAGE_FIELDS.map((f) => USAGE_COLUMNS[f]),
];
