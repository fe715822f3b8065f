import { api } from "../../api/api.js";
import { Link, Panel, Status } from "../../components/ui.js";
import { formatInt, formatTime, formatUsd } from "../../lib/format.js";
import { useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";
import { duration, RunStatus } from "./runs.js";
import { SummaryView } from "./summary-view.js";

/** One run: status, timing, its spend by worker and model (from the ledger), config and summary. */
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
