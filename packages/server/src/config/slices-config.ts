import { SLICE_BOUNDS } from "@budget/store";
import { z } from "zod";

/** `database.slices`: exact slices of hot limits on PostgreSQL (ADR 0010). */
export const slicesConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** How long an instance holds a slice before renewing it (ms). */
    ttlMs: z
      .number()
      .int()
      .min(SLICE_BOUNDS.ttlMsMin)
      .max(SLICE_BOUNDS.ttlMsMax)
      .default(SLICE_BOUNDS.ttlMsDefault),
    /** Most of a limit's remainder one take may have. */
    share: z.number().gt(0).max(SLICE_BOUNDS.shareMax).default(SLICE_BOUNDS.shareDefault),
  })
  .strict();

const HOUR_MS = 3_600_000;
/** The shortest a calendar window can be (a day across a DST change is 23 hours). */
const SHORTEST_CALENDAR_MS: Record<string, number> = {
  hour: HOUR_MS,
  day: 23 * HOUR_MS,
  week: 167 * HOUR_MS,
  month: 28 * 24 * HOUR_MS - HOUR_MS,
  quarter: 89 * 24 * HOUR_MS - HOUR_MS,
  year: 365 * 24 * HOUR_MS - HOUR_MS,
};

/** The shortest length of a window in ms; null for lifetime. */
function shortestWindowMs(window: unknown): number | null {
  const w = window as { type?: string; minutes?: number };
  if (w.type === "rolling") return (w.minutes ?? 0) * 60_000;
  return w.type !== undefined ? (SHORTEST_CALENDAR_MS[w.type] ?? null) : null;
}

interface SlicedConfig {
  database: { url?: string | undefined; slices?: z.output<typeof slicesConfigSchema> | undefined };
  budgets: { limits: { id: string; window: unknown; enforcement?: string | undefined }[] }[];
}

/**
 * What makes a slice configuration unsafe, as config issues: slices without PostgreSQL (one SQLite
 * writer gains nothing from them), or a TTL longer than the window of a configured limit a slice
 * could be taken of (the slice would outlive the window it was counted in).
 */
export function sliceConfigIssues(config: SlicedConfig): { path: (string | number)[]; message: string }[] {
  const slices = config.database.slices;
  if (!slices?.enabled) return [];
  if (!config.database.url)
    return [
      {
        path: ["database", "slices", "enabled"],
        message: "slices need PostgreSQL (database.url): on one SQLite file they buy nothing",
      },
    ];
  const issues: { path: (string | number)[]; message: string }[] = [];
  for (const [b, budget] of config.budgets.entries())
    for (const [l, limit] of budget.limits.entries()) {
      const length = shortestWindowMs(limit.window);
      if (length !== null && slices.ttlMs > length)
        issues.push({
          path: ["database", "slices", "ttlMs"],
          message: `${slices.ttlMs} ms is longer than the window of budgets[${b}].limits[${l}] ("${limit.id}", ${length} ms): a slice could outlive its window`,
        });
    }
  return issues;
}
