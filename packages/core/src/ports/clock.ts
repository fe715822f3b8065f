/** Where time comes from; tests substitute a controllable clock. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
export interface ManualClock extends Clock {
  set(ms: number | Date | string): void;
  advance(ms: number): void;
}

/** Creates a {@link ManualClock} starting at `start`. */
export function createManualClock(start: number | Date | string = 0): ManualClock {
  let t = new Date(start).getTime();
  return {
    now: () => t,
    set: (ms) => {
      t = new Date(ms).getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}
