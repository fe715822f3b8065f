/** One reservation waiting for capacity on one lane (a limit and partition). */
export interface Waiter {
  /** Arrival order: earlier first within a priority. */
  readonly seq: number;
  /** Priority rank: higher first. */
  readonly rank: number;
  lane: string | null;
  /** Set by a wake-up; cleared when the waiter retries, so a wake-up during a retry is not lost. */
  woken: boolean;
  resolve: (() => void) | null;
}

/** The lane of a counter key (`budget|limit|partition|window`): every key but the window. */
export const laneOfKey = (key: string) => key.slice(0, key.lastIndexOf("|"));

/**
 * Waiting reservations of one engine, a queue per lane ordered by priority then arrival, bounded
 * in total. Only a lane's head retries; it is woken when this engine frees a hold on the lane.
 */
export function createWaitQueue(maxWaiters: number) {
  const lanes = new Map<string, Waiter[]>();
  let size = 0;
  let seq = 0;

  const wakeWaiter = (w: Waiter | undefined) => {
    if (!w) return;
    w.woken = true;
    const resolve = w.resolve;
    w.resolve = null;
    resolve?.();
  };
  const remove = (w: Waiter) => {
    if (w.lane === null) return;
    const list = lanes.get(w.lane);
    const i = list?.indexOf(w) ?? -1;
    if (list && i >= 0) list.splice(i, 1);
    if (list?.length === 0) lanes.delete(w.lane);
    else if (i === 0) wakeWaiter(list?.[0]); // a new head
    w.lane = null;
  };

  return {
    get size() {
      return size;
    },
    /** An arrival number, taken when a reservation arrives, so waiters queue in arrival order. */
    ticket: () => ++seq,
    /** A new waiter arrived as `ticket`, or null when the queue is full. */
    join(rank: number, ticket: number): Waiter | null {
      if (size >= maxWaiters) return null;
      size += 1;
      return { seq: ticket, rank, lane: null, woken: false, resolve: null };
    },
    /** Files `w` on `lane` in priority-then-arrival order (off any lane it was on). */
    place(w: Waiter, lane: string) {
      if (w.lane === lane) return;
      remove(w);
      const list = lanes.get(lane) ?? [];
      let i = list.length;
      while (
        i > 0 &&
        (list[i - 1]!.rank < w.rank || (list[i - 1]!.rank === w.rank && list[i - 1]!.seq > w.seq))
      )
        i -= 1;
      list.splice(i, 0, w);
      lanes.set(lane, list);
      w.lane = lane;
    },
    isHead: (w: Waiter) => w.lane !== null && lanes.get(w.lane)?.[0] === w,
    /** Takes `w` out for good (granted, timed out, cancelled); the next head is woken. */
    leave(w: Waiter) {
      remove(w);
      size -= 1;
    },
    /** A hold was freed on each of these counter keys: wake the head of their lanes. */
    freed(keys: readonly string[]) {
      if (size === 0) return;
      for (const k of keys) wakeWaiter(lanes.get(laneOfKey(k))?.[0]);
    },
    /** Resolves after `ms` (null: no timeout), on a wake-up (at once if one came since the last retry), or on abort. */
    sleep(w: Waiter, ms: number | null, signal?: AbortSignal): Promise<void> {
      if (w.woken || signal?.aborted) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          w.resolve = null;
          resolve();
        };
        const timer = ms === null ? undefined : setTimeout(done, Math.max(0, ms));
        signal?.addEventListener("abort", done, { once: true });
        w.resolve = done;
      });
    },
  };
}

/** The wait queue of an engine. */
export type WaitQueue = ReturnType<typeof createWaitQueue>;
