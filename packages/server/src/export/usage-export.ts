import type { EventQuery, Store } from "@budget/core";
import { USAGE_CSV_COLUMNS, usageEventToCsv, usageEventToWire } from "@budget/core";

/**
 * Streams the ledger as CSV or JSON (an array), page by page: memory stays flat however many
 * events match, and the first bytes go out before the last page is read.
 */
export function exportUsage(
  store: Store,
  query: EventQuery,
  format: "csv" | "json",
): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  let first = true;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      if (!started) {
        started = true;
        controller.enqueue(enc.encode(format === "csv" ? `${USAGE_CSV_COLUMNS.join(",")}\n` : "["));
      }
      const page = await store.listEvents({ ...query, limit: 500, ...(cursor ? { cursor } : {}) });
      let chunk = "";
      for (const e of page.events) {
        if (format === "csv") chunk += `${usageEventToCsv(e)}\n`;
        else {
          chunk += `${first ? "" : ","}\n${JSON.stringify(usageEventToWire(e))}`;
          first = false;
        }
      }
      if (chunk) controller.enqueue(enc.encode(chunk));
      cursor = page.nextCursor ?? undefined;
      if (!cursor) {
        done = true;
        if (format === "json") controller.enqueue(enc.encode("\n]\n"));
        controller.close();
      }
    },
  });
}
