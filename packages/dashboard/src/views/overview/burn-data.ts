import type { Query } from "../../api/api.js";
import type { Amounts, Budget, LimitAmounts, LimitStatus, ReportRow } from "../../api/types.js";
import { usdToNumber } from "../../lib/format.js";

/** The amount a chart follows. */
export type Metric = "cost" | "tokens" | "requests";

/** The metric a limit is mainly about: cost when it caps cost, else tokens, else requests. */
export function primaryMetric(limit: LimitAmounts): Metric {
  return limit.costUsd !== undefined ? "cost" : limit.tokens !== undefined ? "tokens" : "requests";
}

/** The metrics a limit caps, in display order. */
export function limitedMetrics(limit: LimitAmounts): Metric[] {
  const out: Metric[] = [];
  if (limit.costUsd !== undefined) out.push("cost");
  if (limit.tokens !== undefined) out.push("tokens");
  if (limit.requests !== undefined) out.push("requests");
  return out;
}

/**
 * The metric that binds: of the amounts the limit caps, the one closest to (or furthest past) its
 * cap — a budget at 510 % of its tokens and 8 % of its cost charts tokens. Ties keep display order.
 */
export function bindingMetric(s: Pick<LimitStatus, "limit" | "used">): Metric {
  let best: Metric = primaryMetric(s.limit);
  let bestRatio = -1;
  for (const m of limitedMetrics(s.limit)) {
    const cap = capOf(m, s.limit);
    const ratio = cap === null ? -1 : cap === 0 ? Number.POSITIVE_INFINITY : metricOf(m, s.used) / cap;
    if (ratio > bestRatio) [best, bestRatio] = [m, ratio];
  }
  return best;
}

/** The metric's value in some amounts (cost as a float: charts only). */
export function metricOf(metric: Metric, a: Amounts | ReportRow): number {
  return metric === "cost" ? usdToNumber(a.costUsd) : metric === "tokens" ? a.tokens : a.requests;
}

/** The metric's cap, or null when unlimited. */
export function capOf(metric: Metric, limit: LimitAmounts): number | null {
  const v = metric === "cost" ? limit.costUsd : metric === "tokens" ? limit.tokens : limit.requests;
  return v === undefined ? null : typeof v === "string" ? usdToNumber(v) : v;
}

/** `month`, `rolling 60 min`, `lifetime`. */
export function windowLabel(s: LimitStatus): string {
  const w = s.window;
  if (w.type !== "rolling") return w.type;
  return w.minutes % 1440 === 0
    ? `rolling ${w.minutes / 1440} d`
    : w.minutes % 60 === 0
      ? `rolling ${w.minutes / 60} h`
      : `rolling ${w.minutes} min`;
}

const HOUR_MS = 3_600_000;

/** Hourly buckets for windows up to three days old, daily ones beyond. */
export function bucketOf(s: LimitStatus, now: number): "hour" | "day" {
  return now - s.windowStart <= 3 * 24 * HOUR_MS ? "hour" : "day";
}

/**
 * The report query for the usage a limit counts in its current window: the budget scope's exact
 * values, the partition's values (`worker=w1,task=t7`) and its tags, from the window start.
 */
export function reportQueryOf(
  s: LimitStatus,
  budget: Pick<Budget, "scope" | "timezone"> | undefined,
  now: number,
): Query {
  const q: Query = { from: s.windowStart, bucket: bucketOf(s, now), timezone: budget?.timezone ?? "UTC" };
  for (const [dim, value] of Object.entries(budget?.scope ?? {})) {
    if (typeof value === "string") q[dim] = value;
    else if (Array.isArray(value) && dim === "tags") q.tags = value.join(",");
  }
  for (const pair of s.partition ? s.partition.split(",") : []) {
    const eq = pair.indexOf("=");
    if (eq > 0) q[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return q;
}

/** Chart data of a limit's window: cumulative use, a linear forecast to the window end, the cap. */
export interface BurnSeries {
  /** Epoch seconds. */
  x: number[];
  used: (number | null)[];
  forecast: (number | null)[];
  cap: (number | null)[];
  /** Projected use at the window end at the average rate so far; null without a fixed end. */
  projected: number | null;
  /** Epoch seconds of the window's start (a lifetime window's first event) and end (now for open-ended windows). */
  range: [number, number];
}

/** Builds {@link BurnSeries} from report rows bucketed over the window; the last point is the live counter. */
export function burnSeries(s: LimitStatus, rows: ReportRow[], metric: Metric, now: number): BurnSeries {
  const bucketMs = bucketOf(s, now) === "hour" ? HOUR_MS : 24 * HOUR_MS;
  const used = metricOf(metric, s.used);
  const cap = capOf(metric, s.limit);
  const fixedEnd = s.window.type !== "rolling" && s.window.type !== "lifetime" && s.resetsAt !== null;
  const end = fixedEnd && s.resetsAt !== null ? s.resetsAt : now;
  // A lifetime window "starts" in 1970: plot from its first event instead (or from now, if none).
  const first = Math.min(...rows.map((r) => r.bucketStart ?? now), now);
  const from = s.window.type === "lifetime" ? Math.max(s.windowStart, first) : s.windowStart;
  const points = new Map<number, number>([[from, 0]]);
  let total = 0;
  for (const row of [...rows].sort((a, b) => (a.bucketStart ?? 0) - (b.bucketStart ?? 0))) {
    // Flat until the bucket starts, then up to the new total by the bucket's end (or now).
    const start = Math.min(Math.max(row.bucketStart ?? from, from), now);
    if (!points.has(start)) points.set(start, total);
    total += metricOf(metric, row);
    points.set(Math.min(start + bucketMs, now), total);
  }
  points.set(now, used);
  const elapsed = now - from;
  const projected = fixedEnd && elapsed > 0 ? used + (used / elapsed) * (end - now) : null;
  const times = [...points.keys()].sort((a, b) => a - b);
  if (projected !== null && end > now) times.push(end);
  const x = times.map((t) => Math.floor(t / 1000));
  return {
    x,
    used: times.map((t) => (t <= now ? (points.get(t) ?? null) : null)),
    forecast: times.map((t) => (t === now ? used : t === end && projected !== null ? projected : null)),
    cap: times.map(() => cap),
    projected,
    range: [Math.floor(from / 1000), Math.floor(end / 1000)],
  };
}
