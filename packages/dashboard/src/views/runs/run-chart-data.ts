import type { Dimension, UsageEvent } from "../../api/types.js";
import { usdToNano } from "../../lib/format.js";

/** Lines drawn: the biggest groups, the rest summed as "other". */
const CHART_GROUPS = 5;

/**
 * Cumulative cost per group of `dimension` over the run's calls: one line each for the biggest
 * groups (the rest as "other"), a point per call. Sums are exact (nano-USD) until plotted.
 */
export function cumulativeByGroup(events: UsageEvent[], dimension: Dimension) {
  const name = (e: UsageEvent) => e.dimensions[dimension] ?? "(none)";
  const totals = new Map<string, bigint>();
  for (const e of events) totals.set(name(e), (totals.get(name(e)) ?? 0n) + usdToNano(e.costUsd));
  const ranked = [...totals.entries()]
    .sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : 0))
    .map(([g]) => g);
  const shown = ranked.length > CHART_GROUPS + 1 ? ranked.slice(0, CHART_GROUPS) : ranked;
  const labels = ranked.length > shown.length ? [...shown, "other"] : shown;
  const index = new Map(labels.map((l, i) => [l, i]));
  const sums = labels.map(() => 0n);
  const x: number[] = [];
  const ys: number[][] = labels.map(() => []);
  for (const e of [...events].sort((a, b) => a.time - b.time)) {
    const i = index.get(name(e)) ?? labels.length - 1;
    sums[i] = (sums[i] ?? 0n) + usdToNano(e.costUsd);
    x.push(e.time / 1000);
    for (const [j, sum] of sums.entries()) ys[j]?.push(Number(sum) / 1e9);
  }
  return { x, ys, labels };
}
