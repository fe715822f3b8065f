import { type UsageEvent, usageEventToWire } from "@budget/core";

export {
  csvField,
  USAGE_CSV_COLUMNS as EVENT_CSV_COLUMNS,
  usageEventToCsv as eventCsvLine,
} from "@budget/core";

/** One event in its wire form (money as `costUsd`), its time also as ISO. */
export function eventJson(e: UsageEvent): Record<string, unknown> {
  return { ...usageEventToWire(e), timeIso: new Date(e.time).toISOString() };
}
