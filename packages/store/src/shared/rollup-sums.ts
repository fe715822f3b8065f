import { DIMENSIONS, totalTokens, type UsageEvent } from "@budget/core";
import { USAGE_FIELDS } from "@budget/core/store-kit";
import { USAGE_COLUMNS } from "../schema/columns.js";

/** Rollup columns that are summed on upsert. */
export const ROLLUP_SUM_COLUMNS: readonly string[] = [
  "events",
  "tokens",
  "cost_nano",
  ...USAGE_FIELDS.map((f) => USAGE_COLUMNS[f]),
];

const HOUR_MS = 3_600_000;

/** One hourly rollup row being summed: absent dimensions are `''`; tags are not rolled up. */
interface RollupSum {
  hourStart: number;
  /** The dimension values as a JSON array: with `hourStart`, the row's key. */
  dimsKey: string;
  dims: string[];
  events: number;
  tokens: number;
  costNanoUsd: bigint;
  /** Summed usage, in `USAGE_FIELDS` order. */
  usage: number[];
}

/**
 * Sums events into their hourly rollup rows in memory, so a batch or an ingest chunk upserts each
 * (hour, dimensions) row once instead of once per event.
 */
export function createRollupSums() {
  const sums = new Map<string, RollupSum>();
  return {
    add(event: UsageEvent): void {
      const hourStart = Math.floor(event.time / HOUR_MS) * HOUR_MS;
      const dims = DIMENSIONS.map((d) => event.dimensions[d] ?? "");
      const dimsKey = JSON.stringify(dims);
      const id = `${hourStart}\u0000${dimsKey}`;
      let sum = sums.get(id);
      if (!sum) {
        sum = {
          hourStart,
          dimsKey,
          dims,
          events: 0,
          tokens: 0,
          costNanoUsd: 0n,
          usage: USAGE_FIELDS.map(() => 0),
        };
        sums.set(id, sum);
      }
      sum.events += 1;
      sum.tokens += totalTokens(event.usage);
      sum.costNanoUsd += event.costNanoUsd;
      for (let i = 0; i < USAGE_FIELDS.length; i++) sum.usage[i]! += event.usage[USAGE_FIELDS[i]!];
    },
    /** The summed rows as positional parameters in `ROLLUP_COLUMNS` order. */
    params(): (string | number | bigint)[][] {
      return [...sums.values()].map((s) => [
        s.hourStart,
        s.dimsKey,
        ...s.dims,
        s.events,
        s.tokens,
        s.costNanoUsd,
        ...s.usage,
      ]);
    },
    get size(): number {
      return sums.size;
    },
  };
}

/** The rollup rows of `events`, summed. */
export function rollupsOf(events: readonly UsageEvent[]): ReturnType<typeof createRollupSums> {
  const sums = createRollupSums();
  for (const e of events) sums.add(e);
  return sums;
}
