import { useMemo, useState } from "preact/hooks";
import { api } from "../../api/api.js";
import type { Budget, StatusSummary } from "../../api/types.js";
import { Badge, Kpi, Link, Panel, Status } from "../../components/ui.js";
import { formatInt, formatPercent, formatUsd } from "../../lib/format.js";
import { useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";
import {
  type BudgetFilter,
  type BudgetGroup,
  expandedByDefault,
  filterBudgets,
  groupBudgets,
  PAGE_SIZE,
  pageOf,
  stateOf,
} from "./budget-list.js";
import { LimitCard } from "./limit-card.js";

function startOfMonth(): number {
  const d = new Date();
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
}

/** Key figures of the month so far; limit counts from the server's status summary. */
function MonthKpis(props: { summary: StatusSummary | undefined }) {
  const live = useLive();
  const month = useAsync(() => api.report({ from: startOfMonth() }), [live.usage]);
  const open = useAsync(() => api.alerts(true), [live.alerts]);
  const total = month.data?.items[0];
  const c = props.summary?.counts;
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

const DIMENSIONS = ["component", "provider", "model", "project", "user", "run", "worker", "task", "taskType"];
const ENFORCEMENTS = ["hard_limit", "soft_limit", "warn", "ignore"];

/** Search, filter and sort controls of the Budgets page. */
function BudgetControls(props: {
  filter: BudgetFilter;
  onChange: (f: BudgetFilter) => void;
  shown: number;
  total: number;
  /** Budgets loaded in the browser (the filters other than an exact id search run on these). */
  loaded: number;
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
      {props.loaded < props.total && (
        <span
          class="muted"
          data-testid="budget-loaded"
          title="Filters run on the budgets closest to their limits"
        >
          (filtering the {props.loaded} closest to their limits; a search also finds an exact id)
        </span>
      )}
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
          <span data-testid={`open-${g.id}`}>
            <Link href={`/budgets/${encodeURIComponent(g.id)}`}>Details</Link>
          </span>
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

/** Status rows loaded at first (closest to their limits first); more load as pages need them. */
const FIRST_ROWS = 500;

/** Every budget definition, page by page: only when the scope filter needs them. */
async function allBudgets(): Promise<Budget[]> {
  const out: Budget[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.budgetPage(cursor);
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/**
 * Spend and tokens against every limit, with burn-down and forecast; searchable at any scale.
 * Counts come from `GET /v1/status/summary`; the list from `GET /v1/status?order=utilization&limit=n`
 * (the closest to their limits first, more rows as the pages need them), so every over or ≥ 80 %
 * limit is always loaded; a search also asks the server for the budget with that exact id.
 */
export function Overview() {
  const live = useLive();
  const summary = useAsync(() => api.statusSummary(), [live.usage, live.budgets]);
  const [filter, setFilter] = useState<BudgetFilter>({});
  const [page, setPage] = useState(0);
  const [rowLimit, setRowLimit] = useState(FIRST_ROWS);
  const counts = summary.data?.counts;
  const limit = Math.max(rowLimit, (counts?.over ?? 0) + (counts?.near ?? 0));
  const status = useAsync(
    () => api.status({ order: "utilization", limit }),
    [limit, live.usage, live.budgets],
  );
  const search = filter.search?.trim() ?? "";
  const exact = useAsync(
    () => (search ? api.status({ budgetId: search }) : Promise.resolve({ items: [] })),
    [search, live.usage, live.budgets],
  );
  const scoped = useAsync(
    () => (filter.dimension ? allBudgets() : Promise.resolve([])),
    [filter.dimension !== undefined, live.budgets],
  );
  // Budgets the person opened or closed; the others follow the list's length.
  const [chosen, setChosen] = useState<Map<string, boolean>>(new Map());
  const rows = status.data?.items ?? [];
  const groups = useMemo(() => {
    const seen = new Set(rows.map((r) => `${r.budgetId}|${r.limitId}|${r.partition}`));
    const extra = (exact.data?.items ?? []).filter(
      (r) => !seen.has(`${r.budgetId}|${r.limitId}|${r.partition}`),
    );
    return groupBudgets([...rows, ...extra], []);
  }, [rows, exact.data]);
  const defs = useMemo(() => new Map((scoped.data ?? []).map((b) => [b.id, b])), [scoped.data]);
  const withDefs = useMemo(
    () => groups.map((g) => (defs.has(g.id) ? { ...g, budget: defs.get(g.id) } : g)),
    [groups, defs],
  );
  const filtered = Object.entries(filter).some(([k, v]) => k !== "sort" && v);
  const shown = useMemo(() => filterBudgets(withDefs, filter), [withDefs, filter]);
  const total = counts?.budgets ?? groups.length;
  const allLoaded = rows.length < limit;
  const current = pageOf(shown, page);
  // The definitions (scope, description) of the budgets on this page only.
  const pageIds = current.items.filter((g) => !g.budget).map((g) => g.id);
  const pageDefs = useAsync(
    () => Promise.all(pageIds.map((id) => api.budget(id).catch(() => undefined))),
    [pageIds.join("\n"), live.budgets],
  );
  const pageDefById = new Map((pageDefs.data ?? []).flatMap((b) => (b ? [[b.id, b] as const] : [])));
  const visible = current.items.map((g) => (g.budget ? g : { ...g, budget: pageDefById.get(g.id) }));
  const pages = filtered || allLoaded ? current.pages : Math.max(1, Math.ceil(total / PAGE_SIZE));
  const goTo = (p: number) => {
    setPage(p);
    // A page past the loaded rows asks the server for more (still closest to their limits first).
    if (!filtered && !allLoaded && (p + 1) * PAGE_SIZE > shown.length) setRowLimit(limit * 2);
  };
  const openDefault = expandedByDefault(filtered ? shown.length : total);
  const isOpen = (id: string) => chosen.get(id) ?? openDefault;
  const toggle = (id: string) => setChosen(new Map(chosen).set(id, !isOpen(id)));
  return (
    <div class="view">
      <MonthKpis summary={summary.data} />
      <Status
        error={status.error ?? summary.error}
        loading={!status.data && status.loading}
        empty={status.data && total === 0}
      >
        No budgets yet. Create one with <code>budget set</code> or <code>POST /v1/budgets</code>.
      </Status>
      {total > 0 && (
        <BudgetControls
          filter={filter}
          onChange={(f) => {
            setFilter(f);
            setPage(0);
          }}
          shown={filtered ? shown.length : total}
          total={total}
          loaded={groups.length}
        />
      )}
      {visible.map((g) => (
        <BudgetPanel key={g.id} group={g} open={isOpen(g.id)} onToggle={() => toggle(g.id)} />
      ))}
      {pages > 1 && (
        <div class="pager" data-testid="budget-pager">
          <button type="button" disabled={current.page === 0} onClick={() => goTo(current.page - 1)}>
            ← Previous
          </button>
          <span class="muted">
            page {current.page + 1} of {pages}
          </span>
          <button type="button" disabled={current.page >= pages - 1} onClick={() => goTo(current.page + 1)}>
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
