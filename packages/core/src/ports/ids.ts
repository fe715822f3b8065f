import { randomBytes } from "node:crypto";

/** Where ids come from; tests substitute a deterministic source. */
export interface IdSource {
  /** A new unique id starting with `prefix` (e.g. `res_…`, `evt_…`). */
  next(prefix: string): string;
}

/**
 * Time-ordered random ids: `prefix_` + the time in ms (base 36, fixed width) + 80 random bits.
 * Ordered ids keep database inserts near the end of each index, so a batch dirties few pages.
 */
export const randomIds: IdSource = {
  next: (prefix) => `${prefix}_${Date.now().toString(36).padStart(9, "0")}${randomBytes(10).toString("hex")}`,
};

/** Deterministic ids `prefix_1`, `prefix_2`, … for tests. */
export function createSequentialIds(): IdSource {
  let n = 0;
  return { next: (prefix) => `${prefix}_${++n}` };
}
