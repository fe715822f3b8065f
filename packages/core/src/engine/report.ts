import type { z } from "zod";
import type { Dimension } from "../budget/dimensions.js";
import type { EventQuery, Store, UsageEvent } from "../ports/store.js";
import { totalTokens } from "../usage/usage.js";
import { windowBounds } from "../window/window-bounds.js";
import type { ReportRow, reportQuerySchema } from "./requests.js";

/** Every ledger event matching `query`, page by page. */
export async function* allEvents(store: Store, query: EventQuery): AsyncGenerator<UsageEvent> {
  let cursor: string | undefined;
  do {
    const page = await store.listEvents({ ...query, limit: 1000, ...(cursor ? { cursor } : {}) });
    yield* page.events;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** Usage grouped by any dimensions × a time bucket in a time zone, computed from the ledger. */
export async function report(store: Store, q: z.output<typeof reportQuerySchema>): Promise<ReportRow[]> {
  const rows = new Map<string, ReportRow>();
  const query: EventQuery = {};
  if (q.from !== undefined) query.from = q.from;
  if (q.to !== undefined) query.to = q.to;
  if (q.dimensions) query.dimensions = q.dimensions;
  for await (const e of allEvents(store, query)) {
    const bucketStart =
      q.bucket === "none" ? null : windowBounds({ type: q.bucket }, e.time, q.timezone).start;
    const group: Partial<Record<Dimension, string | null>> = {};
    for (const d of q.groupBy) group[d] = e.dimensions[d] ?? null;
    const key = JSON.stringify([bucketStart, group]);
    let row = rows.get(key);
    if (!row) {
      row = { bucketStart, group, events: 0, tokens: 0, costNanoUsd: 0n, requests: 0 };
      rows.set(key, row);
    }
    row.events += 1;
    row.tokens += totalTokens(e.usage);
    row.costNanoUsd += e.costNanoUsd;
    row.requests += e.usage.requests;
  }
  return [...rows.values()].sort(
    (a, b) =>
      (a.bucketStart ?? 0) - (b.bucketStart ?? 0) ||
      (b.costNanoUsd > a.costNanoUsd ? 1 : b.costNanoUsd < a.costNanoUsd ? -1 : 0),
  );
}
