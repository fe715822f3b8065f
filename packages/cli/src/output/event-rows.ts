import type { UsageEvent } from "@budget/core";
import { formatUsd } from "@budget/core/basics";

export { USAGE_CSV_COLUMNS as EVENT_CSV_COLUMNS, usageEventToCsv as eventCsvLine } from "@budget/client";
export { csvField } from "@budget/core";

/** One event as JSON-safe data: money as `costUsd`, time also as ISO. */
export function eventJson(e: UsageEvent): Record<string, unknown> {
  const { costNanoUsd, ...rest } = e;
  return { ...rest, timeIso: new Date(e.time).toISOString(), costUsd: formatUsd(costNanoUsd) };
}
