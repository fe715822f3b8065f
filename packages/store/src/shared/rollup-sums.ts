import type { UsageEvent } from "@budget/core";
import { ROLLUP_SUM_COLUMNS, rollupOf } from "./plan.js";
import { ROLLUP_COLUMNS } from "./sql-text.js";

type Value = string | number | bigint;

/**
 * Sums events into their hourly rollup rows in memory, so a batch or an ingest chunk upserts each
 * (hour, dimensions) row once instead of once per event.
 */
export function createRollupSums() {
  const rows = new Map<string, Record<string, Value>>();
  return {
    add(event: UsageEvent): void {
      const row = rollupOf(event);
      const id = `${row.hour_start}\u0000${row.dims_key}`;
      const into = rows.get(id);
      if (!into) {
        rows.set(id, row);
        return;
      }
      for (const c of ROLLUP_SUM_COLUMNS) {
        const a = into[c] ?? 0;
        const b = row[c] ?? 0;
        into[c] =
          typeof a === "bigint" || typeof b === "bigint" ? BigInt(a) + BigInt(b) : Number(a) + Number(b);
      }
    },
    /** The summed rows as positional parameters in `ROLLUP_COLUMNS` order. */
    params(): (Value | null)[][] {
      return [...rows.values()].map((r) => ROLLUP_COLUMNS.map((c) => r[c] ?? null));
    },
    get size(): number {
      return rows.size;
    },
  };
}
