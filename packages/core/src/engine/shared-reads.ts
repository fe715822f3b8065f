import type { CounterState, Store } from "../ports/store.js";

/** Runs `f` after the current turn's callbacks (setImmediate where there is one). */
const nextTurn = (f: () => void) => {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  if (g.setImmediate) g.setImmediate(f);
  else setTimeout(f, 0);
};

/**
 * Counter reads shared by the calls of one turn: the threshold checks of a rolling window read
 * its every bucket after each commit, and the commits a group-commit batch settles together ask
 * for the same keys — one store read per turn, each key once, serves them all.
 */
export function createSharedCounterReads(store: Pick<Store, "getCounters">) {
  let pending: { keys: Set<string>; states: Promise<Map<string, CounterState>> } | null = null;
  return (keys: readonly string[]): Promise<CounterState[]> => {
    if (!pending) {
      const batch: { keys: Set<string>; states: Promise<Map<string, CounterState>> } = {
        keys: new Set(),
        states: new Promise<void>((resolve) => nextTurn(resolve)).then(async () => {
          pending = null;
          const states = await store.getCounters([...batch.keys]);
          return new Map(states.map((s) => [s.key, s]));
        }),
      };
      pending = batch;
    }
    for (const k of keys) pending.keys.add(k);
    return pending.states.then((byKey) => keys.flatMap((k) => byKey.get(k) ?? []));
  };
}
