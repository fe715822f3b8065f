import { useMemo } from "preact/hooks";
import { api, type Query } from "../../api/api.js";
import type { Budget } from "../../api/types.js";
import { type ChartSeries, TimeChart } from "../../components/time-chart.js";
import { Badge, Link, Panel, Status } from "../../components/ui.js";
import { formatRelative, formatTime, formatUsd, usdToNumber } from "../../lib/format.js";
import { useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";
import { LimitCard } from "../overview/limit-card.js";

const DAY_MS = 86_400_000;
const HISTORY_DAYS = 30;
const DAILY: ChartSeries[] = [{ label: "spend", color: "#2f6f5e", fill: "rgba(47,111,94,0.12)", bars: true }];
const SEVERITY_TONE = { info: "info", warning: "warn", critical: "over" } as const;

/** The report filter of a budget's scope: its single-valued dimensions (lists and `each` select more). */
export function scopeQuery(budget: Budget): Query {
  const q: Query = {};
  for (const [k, v] of Object.entries(budget.scope ?? {})) if (typeof v === "string") q[k] = v;
  return q;
}

/** Daily spend of the usage the budget's scope selects, over the last 30 days. */
function History(props: { budget: Budget }) {
  const live = useLive();
  const from = useMemo(() => new Date(Date.now() - HISTORY_DAYS * DAY_MS).setHours(0, 0, 0, 0), []);
  const report = useAsync(
    () =>
      api.report({
        ...scopeQuery(props.budget),
        from,
        bucket: "day",
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      }),
    [props.budget, from, live.usage],
  );
  const data = useMemo(() => {
    const rows = [...(report.data?.items ?? [])].sort((a, b) => (a.bucketStart ?? 0) - (b.bucketStart ?? 0));
    return { x: rows.map((r) => (r.bucketStart ?? 0) / 1000), ys: [rows.map((r) => usdToNumber(r.costUsd))] };
  }, [report.data]);
  const format = useMemo(() => (v: number) => formatUsd(v.toFixed(9)), []);
  const range = useMemo((): [number, number] => [from / 1000 - 43_200, Date.now() / 1000 + 43_200], [from]);
  return (
    <Panel title={`Spend per day, last ${HISTORY_DAYS} days`}>
      <Status error={report.error} loading={!report.data} empty={report.data && data.x.length === 0}>
        No usage in this period.
      </Status>
      {data.x.length > 0 && (
        <div data-testid="budget-history">
          <TimeChart x={data.x} ys={data.ys} series={DAILY} format={format} height={180} xRange={range} />
        </div>
      )}
    </Panel>
  );
}

/** Alerts that name the budget (threshold crossings and denials), its newest 200, newest first. */
function BudgetAlerts(props: { id: string }) {
  const live = useLive();
  const alerts = useAsync(() => api.alerts(false, props.id), [props.id, live.alerts]);
  const items = alerts.data?.items ?? [];
  return (
    <Panel title="Alerts">
      <Status error={alerts.error} loading={!alerts.data} empty={alerts.data && items.length === 0}>
        No alerts for this budget.
      </Status>
      {items.length > 0 && (
        <table class="grid" data-testid="budget-alerts">
          <tbody>
            {items.map((a) => (
              <tr key={a.id} class={a.acknowledgedAt === null ? "" : "acked"}>
                <td class="nowrap" title={formatTime(a.time)}>
                  {formatRelative(a.time)}
                </td>
                <td>
                  <Badge tone={SEVERITY_TONE[a.severity]}>{a.severity}</Badge>
                </td>
                <td>{a.message}</td>
                <td class="nowrap muted">{a.acknowledgedAt === null ? "open" : "acknowledged"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}

/** One budget: every limit with its status and burn-down, its daily spend history and its alerts. */
export function BudgetDetail(props: { id: string }) {
  const live = useLive();
  const budget = useAsync(() => api.budget(props.id), [props.id, live.budgets]);
  const status = useAsync(() => api.status({ budgetId: props.id }), [props.id, live.usage, live.budgets]);
  const b = budget.data;
  const rows = status.data?.items ?? [];
  return (
    <div class="view" data-testid="budget-detail">
      <p class="crumbs">
        <Link href="/">Budgets</Link> / <span class="mono">{props.id}</span>
      </p>
      <Status error={budget.error} loading={!b && budget.loading} />
      {b && (
        <>
          <Panel
            title={b.name ?? b.id}
            actions={!b.enabled ? <Badge tone="muted">disabled</Badge> : undefined}
          >
            {b.description && <p class="muted desc">{b.description}</p>}
            <Status error={status.error} loading={!status.data} empty={status.data && rows.length === 0}>
              No limit has a window open yet.
            </Status>
            <div class="limits">
              {rows.map((s) => (
                <LimitCard key={`${s.limitId}|${s.partition}`} status={s} budget={b} />
              ))}
            </div>
          </Panel>
          <History budget={b} />
          <BudgetAlerts id={props.id} />
        </>
      )}
    </div>
  );
}
