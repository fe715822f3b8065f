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
  next: (prefix) => `${prefix}_${Date.now().toString(36).padStart(9, "0")}${randomHex10()}`,
};

// Random bytes drawn from a pool refilled 4 KiB at a time: one system call per ~400 ids, not per id.
const pool = Buffer.alloc(4096);
let offset = pool.length;
function randomHex10(): string {
  if (offset + 10 > pool.length) {
    // node:crypto loads on the first id: a read-only command (`budget status`) starts without it.
    process.getBuiltinModule("node:crypto").randomFillSync(pool);
    offset = 0;
  }
  offset += 10;
  return pool.toString("hex", offset - 10, offset);
}

/** Deterministic ids `prefix_1`, `prefix_2`, … for tests. */
export function createSequentialIds(): IdSource {
  let n = 0;
  return { next: (prefix) => `${prefix}_${++n}` };
}
