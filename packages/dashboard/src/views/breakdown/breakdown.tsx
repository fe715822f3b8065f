import { useMemo, useState } from "preact/hooks";
import { api } from "../../api/api.js";
import type { Dimension } from "../../api/types.js";
import { ShareTable } from "../../components/share-table.js";
import { type ChartSeries, TimeChart } from "../../components/time-chart.js";
import { Panel, Status } from "../../components/ui.js";
import { formatUsd, usdToNumber } from "../../lib/format.js";
import { useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";

const DAY_MS = 86_400_000;
const PERIODS = [
  { id: "today", label: "Today", from: () => new Date().setHours(0, 0, 0, 0) },
  { id: "7d", label: "7 days", from: () => Date.now() - 7 * DAY_MS },
  { id: "month", label: "This month", from: () => new Date(new Date().setDate(1)).setHours(0, 0, 0, 0) },
  { id: "30d", label: "30 days", from: () => Date.now() - 30 * DAY_MS },
  { id: "90d", label: "90 days", from: () => Date.now() - 90 * DAY_MS },
] as const;
const DIMENSIONS = ["model", "provider", "component", "project", "user"] as const;
const DAILY: ChartSeries[] = [{ label: "spend", color: "#2f6f5e", fill: "rgba(47,111,94,0.12)", bars: true }];

/** One dimension's share of spend. */
function GroupTable(props: { dimension: Dimension; from: number }) {
  const live = useLive();
  const report = useAsync(
    () => api.report({ from: props.from, groupBy: props.dimension }),
    [props.from, props.dimension, live.usage],
  );
  const rows = report.data?.items ?? [];
  return (
    <Panel title={`By ${props.dimension}`}>
      <Status error={report.error} loading={!report.data} empty={report.data && rows.length === 0}>
        No usage in this period.
      </Status>
      {rows.length > 0 && (
        <ShareTable dimension={props.dimension} rows={rows} testId={`breakdown-${props.dimension}`} />
      )}
    </Panel>
  );
}

/** Spend per day over the period. */
function DailySpend(props: { from: number }) {
  const live = useLive();
  const report = useAsync(
    () =>
      api.report({
        from: props.from,
        bucket: "day",
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      }),
    [props.from, live.usage],
  );
  const data = useMemo(() => {
    const rows = [...(report.data?.items ?? [])].sort((a, b) => (a.bucketStart ?? 0) - (b.bucketStart ?? 0));
    return { x: rows.map((r) => (r.bucketStart ?? 0) / 1000), ys: [rows.map((r) => usdToNumber(r.costUsd))] };
  }, [report.data]);
  const format = useMemo(() => (v: number) => formatUsd(v.toFixed(9)), []);
  // Half a day of margin so the first and last bars show whole.
  const range = useMemo(
    (): [number, number] => [props.from / 1000 - 43_200, Date.now() / 1000 + 43_200],
    [props.from, report.data],
  );
  return (
    <Panel title="Spend per day">
      {data.x.length > 0 ? (
        <TimeChart x={data.x} ys={data.ys} series={DAILY} format={format} height={180} xRange={range} />
      ) : (
        <Status empty>No usage in this period.</Status>
      )}
    </Panel>
  );
}

/** Where the money goes: spend by model, provider, component and more, over a period. */
export function Breakdown() {
  const [period, setPeriod] = useState<string>("month");
  const [extra, setExtra] = useState<Dimension>("project");
  const from = useMemo(() => (PERIODS.find((p) => p.id === period) ?? PERIODS[2]).from(), [period]);
  return (
    <div class="view">
      <div class="toolbar">
        <div class="segmented">
          {PERIODS.map((p) => (
            <button
              type="button"
              key={p.id}
              class={p.id === period ? "active" : ""}
              onClick={() => setPeriod(p.id)}
            >
              {p.label}
            </button>
          ))}
        </div>
      </div>
      <DailySpend from={from} />
      <div class="columns">
        <GroupTable dimension="model" from={from} />
        <GroupTable dimension="provider" from={from} />
        <GroupTable dimension="component" from={from} />
      </div>
      <div class="toolbar">
        <label>
          Also by{" "}
          <select value={extra} onChange={(e) => setExtra(e.currentTarget.value as Dimension)}>
            {DIMENSIONS.filter((d) => !["model", "provider", "component"].includes(d)).map((d) => (
              <option key={d}>{d}</option>
            ))}
            {["run", "worker", "task", "taskType", "tier", "apiKey"].map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </label>
      </div>
      <GroupTable dimension={extra} from={from} />
    </div>
  );
}
