import { useState } from "preact/hooks";
import { api } from "../../api/api.js";
import type { Run } from "../../api/types.js";
import { Badge, Link, Panel, Status } from "../../components/ui.js";
import { formatInt, formatRelative, formatTime, formatUsd } from "../../lib/format.js";
import { useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";

const STATUS_TONE = { running: "info", completed: "ok", halted: "warn", failed: "over" } as const;

/** A run's status as a colored badge. */
export function RunStatus(props: { status: Run["status"] }) {
  return <Badge tone={STATUS_TONE[props.status]}>{props.status}</Badge>;
}

/** `12 min`, `3 h 5 min`, or `running for …`. */
export function duration(run: Run): string {
  const end = run.endedAt ?? Date.now();
  const minutes = Math.round((end - run.startedAt) / 60_000);
  const text = minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return run.endedAt === null ? `running for ${text}` : text;
}

/** Orchestration runs, newest first, a page at a time. */
export function Runs() {
  const live = useLive();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const page = useAsync(() => api.runs(cursor), [cursor, live.runs]);
  const runs = page.data?.items ?? [];
  // Tokens and cost per run from the ledger: one report grouped by run.
  const totals = useAsync(() => api.report({ groupBy: "run" }), [live.usage]);
  const byRun = new Map((totals.data?.items ?? []).map((row) => [row.group.run, row]));
  return (
    <div class="view">
      <Panel title="Runs">
        <Status error={page.error} loading={!page.data} empty={page.data && runs.length === 0}>
          No runs yet. Orchestrators start them with <code>POST /v1/runs</code>.
        </Status>
        {runs.length > 0 && (
          <table class="grid" data-testid="runs">
            <thead>
              <tr>
                <th>Run</th>
                <th>Status</th>
                <th>Started</th>
                <th class="num">Duration</th>
                <th class="num">Tokens</th>
                <th class="num">Cost</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link href={`/runs/${encodeURIComponent(r.id)}`}>{r.name || r.id}</Link>
                    <div class="sub mono">{r.id}</div>
                  </td>
                  <td>
                    <RunStatus status={r.status} />
                  </td>
                  <td title={formatTime(r.startedAt)}>{formatRelative(r.startedAt)}</td>
                  <td class="num">{duration(r)}</td>
                  <td class="num" data-testid="run-tokens">
                    {formatInt(byRun.get(r.id)?.tokens ?? 0)}
                  </td>
                  <td class="num" data-testid="run-cost">
                    {formatUsd(byRun.get(r.id)?.costUsd ?? "0")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div class="pager">
          <button
            type="button"
            disabled={cursors.length < 2}
            onClick={() => setCursors(cursors.slice(0, -1))}
          >
            ← Newer
          </button>
          <button
            type="button"
            disabled={!page.data?.nextCursor}
            onClick={() => page.data?.nextCursor && setCursors([...cursors, page.data.nextCursor])}
          >
            Older →
          </button>
        </div>
      </Panel>
    </div>
  );
}
