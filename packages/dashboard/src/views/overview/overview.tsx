import { DIMENSIONS, ENFORCEMENTS } from "@budget/core/basics";
import { useState } from "preact/hooks";
import { api } from "../../api/api.js";
import type { Budget, BudgetStatusPage, StatusSummary } from "../../api/types.js";
import { Badge, Kpi, Link, Panel, Status } from "../../components/ui.js";
import { formatInt, formatPercent, formatUsd } from "../../lib/format.js";
import { useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";
import {
  type BudgetFilter,
  expandedByDefault,
  isFiltered,
  PAGE_SIZE,
  pageQuery,
  stateOf,
} from "./budget-list.js";
import { LimitCard } from "./limit-card.js";

function startOfMonth(): number {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
}

/** Key figures of the month so far; limit counts over every open budget (from the list's answer). */
function MonthKpis(props: { counts: StatusSummary["counts"] | undefined }) {
  const live = useLive();
  const month = useAsync(() => api.report({ from: startOfMonth() }), [live.usage]);
  const open = useAsync(() => api.alerts(true), [live.alerts]);
  const total = month.data?.items[0];
  const c = props.counts;
  const over = c?.over ?? 0;
  const atRisk = over + (c?.near ?? 0);
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
        value={`${formatInt(atRisk)} of ${formatInt(c?.limits ?? 0)}`}
        hint={over ? `${formatInt(over)} over the limit` : "none over the limit"}
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

/** Search, filter and sort controls of the Budgets page (the server filters, sorts and pages). */
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
          placeholder="id, name or description"
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
          <option value="near">80 % or more</option>
          <option value="within">ok</option>
        </select>
      </label>
      <label>
        Sort{" "}
        <select name="sort" value={f.order ?? ""} onChange={set("order")}>
          <option value="">most used</option>
          <option value="reset">closest to reset</option>
          <option value="name">name</option>
          <option value="id">id</option>
        </select>
      </label>
      <span class="muted" data-testid="budget-count">
        {props.shown === props.total ? `${props.total} budgets` : `${props.shown} of ${props.total} budgets`}
      </span>
    </form>
  );
}

type BudgetItem = BudgetStatusPage["items"][number];

/** One budget: a one-line summary that expands into its limit cards (charts load only when open). */
function BudgetPanel(props: { item: BudgetItem; open: boolean; onToggle: () => void }) {
  const { item, open } = props;
  const b = item.budget;
  return (
    <Panel
      class={`budget ${open ? "" : "collapsed"}`}
      title={b.name ?? b.id}
      actions={
        <>
          {!b.enabled && <Badge tone="muted">disabled</Badge>}
          <ScopeChips budget={b} />
          <span class={`pct num util-${stateOf(item.utilization)}`}>{formatPercent(item.utilization)}</span>
          <span data-testid={`open-${b.id}`}>
            <Link href={`/budgets/${encodeURIComponent(b.id)}`}>Details</Link>
          </span>
          <button
            type="button"
            class="link"
            data-testid={`toggle-${b.id}`}
            aria-expanded={open}
            onClick={props.onToggle}
          >
            {open ? "Collapse" : `Expand (${item.limits.length} limit${item.limits.length === 1 ? "" : "s"})`}
          </button>
        </>
      }
    >
      {open && b.description && <p class="muted desc">{b.description}</p>}
      {open && (
        <div class="limits" data-testid={`budget-${b.id}`}>
          {item.limits.length === 0 && <p class="state">No usage in the current window yet.</p>}
          {item.limits.map((s) => (
            <LimitCard key={`${s.limitId}|${s.partition}`} status={s} budget={b} />
          ))}
        </div>
      )}
    </Panel>
  );
}

/**
 * Spend and tokens against every limit, with burn-down and forecast; searchable at any scale. One
 * request a screen: `GET /v1/status/budgets` filters, sorts and pages on the server and answers the
 * page's budgets (definitions and limit statuses) with the counts over every open budget.
 */
export function Overview() {
  const live = useLive();
  const [filter, setFilter] = useState<BudgetFilter>({});
  const [page, setPage] = useState(0);
  const query = pageQuery(filter, page);
  // Each answer keeps whether its query was filtered: while the next loads, the count describes the
  // list shown, not the filter typed.
  const filtered = isFiltered(filter);
  const list = useAsync(
    () => api.budgetStatuses(query).then((p) => ({ ...p, filtered })),
    [JSON.stringify(query), live.usage, live.budgets],
  );
  // Budgets the person opened or closed; the others follow the list's length.
  const [chosen, setChosen] = useState<Map<string, boolean>>(new Map());
  const counts = list.data?.counts;
  const total = counts?.budgets ?? 0;
  const shown = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(shown / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const openDefault = expandedByDefault(shown);
  const isOpen = (id: string) => chosen.get(id) ?? openDefault;
  const toggle = (id: string) => setChosen(new Map(chosen).set(id, !isOpen(id)));
  return (
    <div class="view">
      <MonthKpis counts={counts} />
      <Status error={list.error} loading={!list.data && list.loading} empty={list.data && total === 0}>
        No budgets yet. Create one with <code>budget set</code> or <code>POST /v1/budgets</code>.
      </Status>
      {total > 0 && (
        <BudgetControls
          filter={filter}
          onChange={(f) => {
            setFilter(f);
            setPage(0);
          }}
          shown={list.data?.filtered ? shown : total}
          total={total}
        />
      )}
      {(list.data?.items ?? []).map((item) => (
        <BudgetPanel
          key={item.budget.id}
          item={item}
          open={isOpen(item.budget.id)}
          onToggle={() => toggle(item.budget.id)}
        />
      ))}
      {pages > 1 && (
        <div class="pager" data-testid="budget-pager">
          <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
            ← Previous
          </button>
          <span class="muted">
            page {current + 1} of {pages}
          </span>
          <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
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
