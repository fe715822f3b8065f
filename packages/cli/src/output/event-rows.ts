import { DIMENSIONS, formatUsd, USAGE_FIELDS, type UsageEvent } from "@budget/core";

/** The CSV columns of a usage event, in a fixed order. */
export const EVENT_CSV_COLUMNS = [
  "id",
  "time",
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

/** Quotes a CSV field when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One event as a CSV line (money as an exact USD decimal string, time as ISO). */
export function eventCsvLine(e: UsageEvent): string {
  const cells: string[] = [e.id, new Date(e.time).toISOString(), e.kind];
  for (const d of DIMENSIONS) cells.push(e.dimensions[d] ?? "");
  cells.push((e.dimensions.tags ?? []).join(";"));
  for (const f of USAGE_FIELDS) cells.push(String(e.usage[f]));
  cells.push(
    formatUsd(e.costNanoUsd),
    e.priceVersionId ?? "",
    e.pricing,
    e.reservationId ?? "",
    e.idempotencyKey,
  );
  return cells.map(csvField).join(",");
}

/** One event as JSON-safe data: money as `costUsd`, time also as ISO. */
export function eventJson(e: UsageEvent): Record<string, unknown> {
  const { costNanoUsd, ...rest } = e;
  return { ...rest, timeIso: new Date(e.time).toISOString(), costUsd: formatUsd(costNanoUsd) };
}
