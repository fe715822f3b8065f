import { useMemo, useState } from "preact/hooks";
import { api } from "../../api/api.js";
import type { Budget, LimitStatus } from "../../api/types.js";
import { Badge, Kpi, Panel, Status } from "../../components/ui.js";
import { formatInt, formatPercent, formatUsd } from "../../lib/format.js";
import { useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";
import {
  type BudgetFilter,
  type BudgetGroup,
  expandedByDefault,
  filterBudgets,
  groupBudgets,
  pageOf,
  stateOf,
} from "./budget-list.js";
import { LimitCard } from "./limit-card.js";

function startOfMonth(): number {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
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

const DIMENSIONS = ["component", "provider", "model", "project", "user", "run", "worker", "task", "taskType"];
const ENFORCEMENTS = ["hard_limit", "soft_limit", "warn", "ignore"];

/** Search, filter and sort controls of the Budgets page. */
function BudgetControls(props: {
  filter: BudgetFilter;
  onChange: (f: BudgetFilter) => void;
  shown: number;
  total: number;
}) {
  const f = props.filter;
  const set = (k: keyof BudgetFilter) => (e: Event) => {
    const v = (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
    props.onChange({ ...f, [k]: v || undefined });
  };
  return (
    <form class="filters budget-filters" data-testid="budget-filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        Search{" "}
        <input
          type="search"
          name="search"
          value={f.search ?? ""}
          onInput={set("search")}
          placeholder="id or name"
        />
      </label>
      <label>
        Scope{" "}
        <select name="dimension" value={f.dimension ?? ""} onChange={set("dimension")}>
          <option value="">any</option>
          {DIMENSIONS.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label>
        Enforcement{" "}
        <select name="enforcement" value={f.enforcement ?? ""} onChange={set("enforcement")}>
          <option value="">any</option>
          {ENFORCEMENTS.map((e) => (
            <option key={e} value={e}>
              {e.replace("_", " ")}
            </option>
          ))}
        </select>
      </label>
      <label>
        State{" "}
        <select name="state" value={f.state ?? ""} onChange={set("state")}>
          <option value="">any</option>
          <option value="over">over limit</option>
          <option value="warn">80 % or more</option>
          <option value="ok">ok</option>
        </select>
      </label>
      <label>
        Sort{" "}
        <select name="sort" value={f.sort ?? ""} onChange={set("sort")}>
          <option value="">as listed</option>
          <option value="used">most used</option>
          <option value="reset">closest to reset</option>
          <option value="name">name</option>
        </select>
      </label>
      <span class="muted" data-testid="budget-count">
        {props.shown === props.total ? `${props.total} budgets` : `${props.shown} of ${props.total} budgets`}
      </span>
    </form>
  );
}

/** One budget: a one-line summary that expands into its limit cards (charts load only when open). */
function BudgetPanel(props: { group: BudgetGroup; open: boolean; onToggle: () => void }) {
  const { group: g, open } = props;
  const b = g.budget;
  return (
    <Panel
      class={`budget ${open ? "" : "collapsed"}`}
      title={g.name}
      actions={
        <>
          {b && !b.enabled && <Badge tone="muted">disabled</Badge>}
          <ScopeChips budget={b} />
          <span class={`pct num util-${stateOf(g.utilization)}`}>{formatPercent(g.utilization)}</span>
          <button
            type="button"
            class="link"
            data-testid={`toggle-${g.id}`}
            aria-expanded={open}
            onClick={props.onToggle}
          >
            {open ? "Collapse" : `Expand (${g.limits.length} limit${g.limits.length === 1 ? "" : "s"})`}
          </button>
        </>
      }
    >
      {open && b?.description && <p class="muted desc">{b.description}</p>}
      {open && (
        <div class="limits" data-testid={`budget-${g.id}`}>
          {g.limits.length === 0 && <p class="state">No usage in the current window yet.</p>}
          {g.limits.map((s) => (
            <LimitCard key={`${s.limitId}|${s.partition}`} status={s} budget={b} />
          ))}
        </div>
      )}
    </Panel>
  );
}

/** Spend and tokens against every limit, with burn-down and forecast; searchable at any scale. */
export function Overview() {
  const live = useLive();
  const status = useAsync(() => api.status(), [live.usage, live.budgets]);
  const budgets = useAsync(() => api.budgets(), [live.budgets]);
  const [filter, setFilter] = useState<BudgetFilter>({});
  const [page, setPage] = useState(0);
  // Budgets the person opened or closed; the others follow the list's length.
  const [chosen, setChosen] = useState<Map<string, boolean>>(new Map());
  const statuses = status.data?.items ?? [];
  const groups = useMemo(() => groupBudgets(statuses, budgets.data?.items ?? []), [statuses, budgets.data]);
  const shown = useMemo(() => filterBudgets(groups, filter), [groups, filter]);
  const current = pageOf(shown, page);
  const openDefault = expandedByDefault(shown.length);
  const isOpen = (id: string) => chosen.get(id) ?? openDefault;
  const toggle = (id: string) => setChosen(new Map(chosen).set(id, !isOpen(id)));
  return (
    <div class="view">
      <MonthKpis statuses={statuses} />
      <Status
        error={status.error}
        loading={!status.data && status.loading}
        empty={status.data && groups.length === 0}
      >
        No budgets yet. Create one with <code>budget set</code> or <code>POST /v1/budgets</code>.
      </Status>
      {groups.length > 0 && (
        <BudgetControls
          filter={filter}
          onChange={(f) => {
            setFilter(f);
            setPage(0);
          }}
          shown={shown.length}
          total={groups.length}
        />
      )}
      {current.items.map((g) => (
        <BudgetPanel key={g.id} group={g} open={isOpen(g.id)} onToggle={() => toggle(g.id)} />
      ))}
      {current.pages > 1 && (
        <div class="pager" data-testid="budget-pager">
          <button type="button" disabled={current.page === 0} onClick={() => setPage(current.page - 1)}>
            ← Previous
          </button>
          <span class="muted">
            page {current.page + 1} of {current.pages}
          </span>
          <button
            type="button"
            disabled={current.page >= current.pages - 1}
            onClick={() => setPage(current.page + 1)}
          >
            Next →
          </button>
        </div>
      )}
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
