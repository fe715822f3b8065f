import { useMemo } from "preact/hooks";
import { api } from "../../api/api.js";
import type { Budget, LimitStatus } from "../../api/types.js";
import { type ChartSeries, TimeChart } from "../../components/time-chart.js";
import { formatCompact, formatInt, formatUsd } from "../../lib/format.js";
import { useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";
import { burnSeries, capOf, type Metric, reportQueryOf } from "./burn-data.js";

const SERIES: ChartSeries[] = [
  { label: "used", color: "#2f6f5e", fill: "rgba(47,111,94,0.10)" },
  { label: "forecast", color: "#8a6d1f", dash: [5, 4] },
  { label: "limit", color: "#b42318", dash: [2, 3] },
];

const SERIES_NO_FORECAST = SERIES.filter((x) => x.label !== "forecast");

/** Formats a metric value for axes and legends. */
export function metricFormatter(metric: Metric): (v: number) => string {
  if (metric === "cost") return (v) => (v >= 1000 ? `$${formatCompact(v)}` : formatUsd(v.toFixed(9)));
  return (v) => (v >= 10_000 ? formatCompact(v) : formatInt(v));
}

/** Cumulative use over the limit's current window, with a linear forecast to its end and the cap. */
export function BurnDown(props: { status: LimitStatus; budget: Budget | undefined; metric: Metric }) {
  const { status, budget, metric } = props;
  const live = useLive();
  const rows = useAsync(
    () => api.report(reportQueryOf(status, budget, Date.now())),
    [status.budgetId, status.limitId, status.partition, status.windowStart, status.used.tokens, live.usage],
  );
  const format = useMemo(() => metricFormatter(metric), [metric]);
  const data = useMemo(
    () => (rows.data ? burnSeries(status, rows.data.items, metric, Date.now()) : null),
    [rows.data, status, metric],
  );
  // The forecast's legend entry only when there is a forecast (a fixed window end to project to).
  const withForecast = data?.projected != null;
  const ys = useMemo(
    () => (data ? (withForecast ? [data.used, data.forecast, data.cap] : [data.used, data.cap]) : []),
    [data, withForecast],
  );
  const series = withForecast ? SERIES : SERIES_NO_FORECAST;
  const cap = capOf(metric, status.limit);
  if (!data) return <div class="chart chart-placeholder" />;
  const plotted = data.used.filter((v) => v !== null).at(-1) ?? 0;
  const label = `${metric} used: ${format(plotted)}${cap !== null ? ` of ${format(cap)}` : ""}`;
  return (
    <div class="burn">
      <TimeChart
        x={data.x}
        ys={ys}
        series={series}
        format={format}
        xRange={data.range}
        height={150}
        label={label}
      />
      {data.projected !== null && (
        <p
          class={`forecast ${cap !== null && data.projected > cap ? "forecast-over" : ""}`}
          data-testid="forecast"
        >
          Forecast at reset: <span class="num">{format(data.projected)}</span>
          {cap !== null && data.projected > cap ? " — over the limit at this pace" : ""}
        </p>
      )}
    </div>
  );
}
