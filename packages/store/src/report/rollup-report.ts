import { BudgetError, DIMENSIONS, type Dimension } from "@budget/core";
import { isTimeZone, zonedParts, zonedToUtc } from "@budget/core/store-kit";
import type { Kysely } from "kysely";
import { DIMENSION_COLUMNS } from "../schema/columns.js";
import type { StoreDatabase } from "../schema/tables.js";
import { toBigint, toNumber } from "../shared/convert.js";
import { sql } from "../shared/kysely-runtime.js";

/** A usage report over the hourly rollups. */
export interface RollupReportQuery {
  /** Epoch ms, inclusive; rounded down to the hour (rollups are hourly). */
  from: number;
  /** Epoch ms, exclusive; hours starting before it are included. */
  to: number;
  /** Dimensions to break totals down by (tags are not rolled up). */
  groupBy: Dimension[];
  bucket: "hour" | "day" | "month";
  /** IANA zone in which days and months start (default UTC). */
  timezone?: string;
}

/** Totals of one bucket × dimension combination. */
export interface RollupReportRow {
  /** Epoch ms at which the bucket starts, in the query's time zone. */
  bucketStart: number;
  /** The `groupBy` dimensions' values; null where events carried none. */
  dimensions: Partial<Record<Dimension, string | null>>;
  /** All tokens, each counted once (`totalTokens`). */
  tokens: number;
  costNanoUsd: bigint;
  requests: number;
  /** Ledger events summed (usage and adjustments). */
  events: number;
}

const HOUR_MS = 3_600_000;

/**
 * Sums the hourly rollups by hour and dimensions in SQL, then folds hours into day or month
 * buckets of the time zone: each rollup hour goes to the bucket its start falls in, which is exact
 * for every zone whose offset is a whole number of hours (half-hour zones shift by 30 minutes).
 * Never reads raw events, so it stays fast over millions of events and survives event retention.
 */
export async function rollupReport(
  db: Kysely<StoreDatabase>,
  query: RollupReportQuery,
): Promise<RollupReportRow[]> {
  const timezone = query.timezone ?? "UTC";
  const groupBy = [...new Set(query.groupBy)];
  for (const d of groupBy)
    if (!DIMENSIONS.includes(d)) throw new BudgetError("invalid_input", `unknown dimension: ${String(d)}`);
  const keys = sql.join([sql.ref("hour_start"), ...groupBy.map((d) => sql.ref(DIMENSION_COLUMNS[d]))]);
  const result = await sql<Record<string, unknown>>`
    SELECT ${keys},
      SUM(tokens) AS tokens, SUM(cost_nano) AS cost_nano, SUM(requests) AS requests, SUM(events) AS events
    FROM rollups_hourly
    WHERE hour_start >= ${Math.floor(query.from / HOUR_MS) * HOUR_MS} AND hour_start < ${query.to}
    GROUP BY ${keys}`.execute(db);

  const bucketOf = bucketStarts(query.bucket, timezone);
  const merged = new Map<string, RollupReportRow>();
  for (const row of result.rows) {
    const bucketStart = bucketOf(toNumber(row.hour_start));
    const dimensions: Partial<Record<Dimension, string | null>> = {};
    for (const d of groupBy) dimensions[d] = (row[DIMENSION_COLUMNS[d]] as string) || null;
    const id = `${bucketStart}\u0000${groupBy.map((d) => dimensions[d] ?? "").join("\u0000")}`;
    const into = merged.get(id);
    const add = {
      tokens: toNumber(row.tokens),
      costNanoUsd: toBigint(row.cost_nano),
      requests: toNumber(row.requests),
      events: toNumber(row.events),
    };
    if (!into) merged.set(id, { bucketStart, dimensions, ...add });
    else {
      into.tokens += add.tokens;
      into.costNanoUsd += add.costNanoUsd;
      into.requests += add.requests;
      into.events += add.events;
    }
  }
  return [...merged.values()].sort((a, b) => a.bucketStart - b.bucketStart || compareDims(a, b, groupBy));
}

function compareDims(a: RollupReportRow, b: RollupReportRow, groupBy: Dimension[]): number {
  for (const d of groupBy) {
    const x = a.dimensions[d] ?? "";
    const y = b.dimensions[d] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Maps an hour start to its bucket start, memoized (a report touches each hour many times). */
function bucketStarts(bucket: RollupReportQuery["bucket"], timezone: string): (hourStart: number) => number {
  // UTC needs no zone math (nor loading time-zone data): plain arithmetic, well under a millisecond.
  if (timezone === "UTC" || timezone === "Etc/UTC")
    return bucket === "hour"
      ? (h) => h
      : bucket === "day"
        ? (h) => Math.floor(h / 86_400_000) * 86_400_000
        : (h) => {
            const d = new Date(h);
            return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
          };
  if (!isTimeZone(timezone)) throw new BudgetError("invalid_input", `unknown time zone: ${timezone}`);
  if (bucket === "hour") return (h) => h;
  const cache = new Map<number, number>();
  return (hourStart) => {
    let start = cache.get(hourStart);
    if (start === undefined) {
      const p = zonedParts(hourStart, timezone);
      start = zonedToUtc({ year: p.year, month: p.month, day: bucket === "day" ? p.day : 1 }, timezone);
      cache.set(hourStart, start);
    }
    return start;
  };
}
