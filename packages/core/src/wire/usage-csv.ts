import { DIMENSIONS } from "../budget/dimension-names.js";
import { csvLine } from "../format/csv-field.js";
import { formatUsd } from "../money/nano-usd.js";
import type { UsageEvent } from "../ports/store.js";
import { USAGE_FIELDS } from "../usage/usage.js";

/** The columns of the ledger CSV (the API's export and the CLI's), in a fixed order. */
export const USAGE_CSV_COLUMNS = [
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

/** The columns that hold numbers (token counts, cost): only these may start with `-` unescaped. */
const NUMERIC_COLUMNS = USAGE_CSV_COLUMNS.map(
  (c) => c === "costUsd" || (USAGE_FIELDS as readonly string[]).includes(c),
);

/** One ledger event as a CSV line, without the line break (money as an exact USD decimal, time as ISO). */
export function usageEventToCsv(e: UsageEvent): string {
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
  return csvLine(cells, NUMERIC_COLUMNS);
}
