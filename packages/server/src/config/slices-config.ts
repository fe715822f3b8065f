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

interface SlicedConfig {
  database: { url?: string | undefined; slices?: z.output<typeof slicesConfigSchema> | undefined };
}

/**
 * What makes a slice configuration unsafe, as config issues: slices without PostgreSQL (one SQLite
 * writer gains nothing from them). No TTL can outlive a sliced window: the longest TTL (10 minutes)
 * is shorter than any calendar window, and rolling limits are not sliced (ADR 0012).
 */
export function sliceConfigIssues(config: SlicedConfig): { path: (string | number)[]; message: string }[] {
  const slices = config.database.slices;
  if (!slices?.enabled || config.database.url) return [];
  return [
    {
      path: ["database", "slices", "enabled"],
      message: "slices need PostgreSQL (database.url): on one SQLite file they buy nothing",
    },
  ];
}
