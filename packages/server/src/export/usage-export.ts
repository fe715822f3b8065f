import { usageEventToWire } from "@budget/client";
import {
  DIMENSIONS,
  type EventQuery,
  formatUsd,
  type Store,
  USAGE_FIELDS,
  type UsageEvent,
} from "@budget/core";

/** CSV header of the usage export. */
export const CSV_COLUMNS = [
  "time",
  "id",
  "kind",
  ...DIMENSIONS,
  "tags",
  ...USAGE_FIELDS,
  "costUsd",
  "priceVersionId",
  "pricing",
  "reservationId",
  "idempotencyKey",
] as const;

/** Quotes a CSV field when it needs it (RFC 4180), and defuses spreadsheet formulas. */
function csvField(value: string): string {
  const v = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** One ledger event as a CSV line. */
export function eventToCsv(e: UsageEvent): string {
  const cells = [
    new Date(e.time).toISOString(),
    e.id,
    e.kind,
    ...DIMENSIONS.map((d) => e.dimensions[d] ?? ""),
    (e.dimensions.tags ?? []).join(";"),
    ...USAGE_FIELDS.map((f) => String(e.usage[f])),
    formatUsd(e.costNanoUsd),
    e.priceVersionId ?? "",
    e.pricing,
    e.reservationId ?? "",
    e.idempotencyKey,
  ];
  return `${cells.map(csvField).join(",")}\n`;
}

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
        controller.enqueue(enc.encode(format === "csv" ? `${CSV_COLUMNS.join(",")}\n` : "["));
      }
      const page = await store.listEvents({ ...query, limit: 500, ...(cursor ? { cursor } : {}) });
      let chunk = "";
      for (const e of page.events) {
        if (format === "csv") chunk += eventToCsv(e);
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
