import { api } from "../../api/api.js";
import type { Budget, LimitStatus } from "../../api/types.js";
import { Badge, Kpi, Panel, Status } from "../../components/ui.js";
import { formatInt, formatUsd } from "../../lib/format.js";
import { useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";
import { LimitCard } from "./limit-card.js";

function startOfMonth(): number {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
}

/** Statuses grouped by budget, in the order the server lists budgets. */
function byBudget(statuses: LimitStatus[]): [string, LimitStatus[]][] {
  const groups = new Map<string, LimitStatus[]>();
  for (const s of statuses) groups.set(s.budgetId, [...(groups.get(s.budgetId) ?? []), s]);
  return [...groups];
}

/** Key figures of the month so far. */
function MonthKpis(props: { statuses: LimitStatus[] }) {
  const live = useLive();
  const month = useAsync(() => api.report({ from: startOfMonth() }), [live.usage]);
  const open = useAsync(() => api.alerts(true), [live.alerts]);
  const total = month.data?.items[0];
  const atRisk = props.statuses.filter((s) => s.utilization >= 0.8).length;
  const over = props.statuses.filter((s) => s.utilization >= 1).length;
  return (
    <div class="kpis">
      <Kpi
        label="Spend this month"
        value={formatUsd(total?.costUsd ?? "0")}
        hint={`${formatInt(total?.events ?? 0)} calls`}
      />
      <Kpi label="Tokens this month" value={formatInt(total?.tokens ?? 0)} />
      <Kpi
        label="Limits at 80% or more"
        value={`${atRisk} of ${props.statuses.length}`}
        hint={over ? `${over} over the limit` : "none over the limit"}
        {...(over ? { tone: "over" as const } : atRisk ? { tone: "warn" as const } : {})}
      />
      <Kpi
        label="Open alerts"
        value={formatInt(open.data?.items.length ?? 0)}
        {...(open.data?.items.length ? { tone: "warn" as const } : {})}
      />
    </div>
  );
}

/** Spend and tokens against every limit, with burn-down and forecast. */
export function Overview() {
  const live = useLive();
  const status = useAsync(() => api.status(), [live.usage, live.budgets]);
  const budgets = useAsync(() => api.budgets(), [live.budgets]);
  const byId = new Map<string, Budget>((budgets.data?.items ?? []).map((b) => [b.id, b]));
  const statuses = status.data?.items ?? [];
  return (
    <div class="view">
      <MonthKpis statuses={statuses} />
      <Status
        error={status.error}
        loading={!status.data && status.loading}
        empty={status.data && statuses.length === 0}
      >
        No budgets yet. Create one with <code>budget set</code> or <code>POST /v1/budgets</code>.
      </Status>
      {byBudget(statuses).map(([budgetId, limits]) => {
        const b = byId.get(budgetId);
        return (
          <Panel
            key={budgetId}
            class="budget"
            title={limits[0]?.budgetName ?? budgetId}
            actions={
              <>
                {b && !b.enabled && <Badge tone="muted">disabled</Badge>}
                <ScopeChips budget={b} />
              </>
            }
          >
            {b?.description && <p class="muted desc">{b.description}</p>}
            <div class="limits" data-testid={`budget-${budgetId}`}>
              {limits.map((s) => (
                <LimitCard key={`${s.limitId}|${s.partition}`} status={s} budget={b} />
              ))}
            </div>
          </Panel>
        );
      })}
    </div>
  );
}

/** The budget's scope as `dimension: value` chips (`each` shown as `dimension: each`). */
function ScopeChips(props: { budget: Budget | undefined }) {
  const entries = Object.entries(props.budget?.scope ?? {}).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return <span class="chip">all usage</span>;
  return (
    <>
      {entries.map(([k, v]) => (
        <span class="chip" key={k}>
          {k}: {typeof v === "string" ? v : Array.isArray(v) ? v.join(", ") : "each"}
        </span>
      ))}
    </>
  );
}
