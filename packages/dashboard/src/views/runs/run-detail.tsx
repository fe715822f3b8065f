import { useMemo, useState } from "preact/hooks";
import { api } from "../../api/api.js";
import type { Dimension } from "../../api/types.js";
import { ShareTable } from "../../components/share-table.js";
import { type ChartSeries, TimeChart } from "../../components/time-chart.js";
import { Link, Panel, Status } from "../../components/ui.js";
import { formatInt, formatTime, formatUsd } from "../../lib/format.js";
import { useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";
import { cumulativeByGroup } from "./run-chart-data.js";
import { duration, RunStatus } from "./runs.js";
import { SummaryView } from "./summary-view.js";

/** The dimensions a run's spend is shown by. */
const RUN_DIMENSIONS = ["worker", "task", "model"] as const satisfies readonly Dimension[];
/** Calls a run's chart plots (its first ones, oldest first). */
const CHART_EVENTS = 1000;
const COLORS = ["#2f6f5e", "#3b82f6", "#d97706", "#9333ea", "#dc2626", "#6b7280"];
/** The run's cumulative spend, one line per worker, task or model (switchable). */
function RunSpendChart(props: { id: string }) {
  const live = useLive();
  const [dimension, setDimension] = useState<(typeof RUN_DIMENSIONS)[number]>("worker");
  const events = useAsync(() => api.usage({ run: props.id, limit: CHART_EVENTS }), [props.id, live.usage]);
  const data = useMemo(
    () => cumulativeByGroup(events.data?.items ?? [], dimension),
    [events.data, dimension],
  );
  const series = useMemo(
    (): ChartSeries[] => data.labels.map((label, i) => ({ label, color: COLORS[i % COLORS.length]! })),
    [data],
  );
  const format = useMemo(() => (v: number) => formatUsd(v.toFixed(9)), []);
  return (
    <Panel
      title="Cumulative spend"
      actions={
        <div class="segmented">
          {RUN_DIMENSIONS.map((d) => (
            <button
              type="button"
              key={d}
              class={d === dimension ? "active" : ""}
              onClick={() => setDimension(d)}
            >
              per {d}
            </button>
          ))}
        </div>
      }
    >
      <Status error={events.error} loading={!events.data} empty={events.data && data.x.length === 0}>
        No usage recorded for this run.
      </Status>
      {data.x.length > 0 && (
        <div data-testid="run-chart">
          <TimeChart x={data.x} ys={data.ys} series={series} format={format} height={200} />
          {events.data?.nextCursor && (
            <p class="muted small">The first {formatInt(CHART_EVENTS)} calls of the run.</p>
          )}
        </div>
      )}
    </Panel>
  );
}

/** The run's spend by one dimension, with each value's share. */
function RunGroupTable(props: { id: string; dimension: Dimension }) {
  const live = useLive();
  const report = useAsync(
    () => api.report({ run: props.id, groupBy: props.dimension }),
    [props.id, props.dimension, live.usage],
  );
  const rows = report.data?.items ?? [];
  return (
    <Panel title={`By ${props.dimension}`}>
      <Status error={report.error} loading={!report.data} empty={report.data && rows.length === 0}>
        No usage recorded for this run.
      </Status>
      {rows.length > 0 && (
        <ShareTable dimension={props.dimension} rows={rows} testId={`run-by-${props.dimension}`} />
      )}
    </Panel>
  );
}

/**
 * One run: status, timing, its cumulative spend chart and its spend per worker, per task, per model
 * and by worker and model (from the ledger), config and summary.
 */
export function RunDetail(props: { id: string }) {
  const live = useLive();
  const run = useAsync(() => api.run(props.id), [props.id, live.runs]);
  const spend = useAsync(
    () => api.report({ run: props.id, groupBy: "worker,model" }),
    [props.id, live.usage],
  );
  const r = run.data;
  const rows = spend.data?.items ?? [];
  return (
    <div class="view">
      <p class="crumbs">
        <Link href="/runs">Runs</Link> / <span class="mono">{props.id}</span>
      </p>
      <Status error={run.error} loading={!r} />
      {r && (
        <>
          <Panel title={r.name || r.id} actions={<RunStatus status={r.status} />}>
            <dl class="facts">
              <dt>Started</dt>
              <dd>{formatTime(r.startedAt)}</dd>
              <dt>Ended</dt>
              <dd>{r.endedAt === null ? "—" : formatTime(r.endedAt)}</dd>
              <dt>Duration</dt>
              <dd>{duration(r)}</dd>
            </dl>
          </Panel>
          <RunSpendChart id={props.id} />
          <div class="columns">
            {RUN_DIMENSIONS.map((d) => (
              <RunGroupTable key={d} id={props.id} dimension={d} />
            ))}
          </div>
          <Panel title="Spend by worker and model">
            <Status empty={spend.data && rows.length === 0}>No usage recorded for this run.</Status>
            {rows.length > 0 && (
              <table class="grid">
                <thead>
                  <tr>
                    <th>Worker</th>
                    <th>Model</th>
                    <th class="num">Calls</th>
                    <th class="num">Tokens</th>
                    <th class="num">Cost</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={`${row.group.worker}|${row.group.model}`}>
                      <td>{row.group.worker ?? <span class="muted">(none)</span>}</td>
                      <td>{row.group.model ?? <span class="muted">(none)</span>}</td>
                      <td class="num">{formatInt(row.events)}</td>
                      <td class="num">{formatInt(row.tokens)}</td>
                      <td class="num">{formatUsd(row.costUsd)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Panel>
          <div class="columns two">
            <Panel title="Summary">
              <SummaryView value={r.summary} testId="run-summary" />
            </Panel>
            <Panel title="Configuration">
              <SummaryView value={r.config} testId="run-config" />
            </Panel>
          </div>
        </>
      )}
    </div>
  );
}
