import { randomUUID } from "node:crypto";

/** Where ids come from; tests substitute a deterministic source. */
export interface IdSource {
  /** A new unique id starting with `prefix` (e.g. `res_…`, `evt_…`). */
  next(prefix: string): string;
}

/** Random UUID-based ids. */
export const randomIds: IdSource = { next: (prefix) => `${prefix}_${randomUUID().replaceAll("-", "")}` };

/** Deterministic ids `prefix_1`, `prefix_2`, … for tests. */
export function createSequentialIds(): IdSource {
  let n = 0;
  return { next: (prefix) => `${prefix}_${++n}` };
}
