import { DIMENSIONS } from "../budget/dimensions.js";
import type { EventQuery, UsageEvent } from "../ports/store.js";

/** Whether an event passes a ledger query's time range and dimension filters (tags: all present). */
export function eventMatches(e: UsageEvent, q: EventQuery): boolean {
  if (q.from !== undefined && e.time < q.from) return false;
  if (q.to !== undefined && e.time >= q.to) return false;
  const want = q.dimensions;
  if (!want) return true;
  for (const d of DIMENSIONS) if (want[d] !== undefined && e.dimensions[d] !== want[d]) return false;
  return (want.tags ?? []).every((t) => e.dimensions.tags?.includes(t));
}

/**
 * One page of an in-memory list ordered by `cursorOf`: the cursor is the last item's
 * cursor value, so a page never repeats or skips items appended meanwhile (ascending lists).
 */
export function pageOf<T>(
  items: T[],
  query: { cursor?: string; limit?: number },
  cursorOf: (item: T) => string,
  byPosition = false,
  /** Items sorted by descending cursor: a cursor no longer present resumes at the next smaller one. */
  descending = false,
): { items: T[]; nextCursor: string | null } {
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 10_000);
  let start = 0;
  if (query.cursor !== undefined) {
    const idx = items.findIndex((i) => cursorOf(i) === query.cursor);
    start =
      idx >= 0
        ? idx + 1
        : byPosition
          ? items.length
          : items.findIndex((i) => (descending ? cursorOf(i) < query.cursor! : cursorOf(i) > query.cursor!));
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + limit);
  const last = page[page.length - 1];
  return { items: page, nextCursor: start + limit < items.length && last ? cursorOf(last) : null };
}
