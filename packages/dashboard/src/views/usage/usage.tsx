import { useState } from "preact/hooks";
import { api, type Query } from "../../api/api.js";
import type { UsageEvent } from "../../api/types.js";
import { Panel, Status } from "../../components/ui.js";
import { formatInt, formatTime, formatUsd } from "../../lib/format.js";
import { useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";
import { download } from "./download.js";
import { readUrlFilters, urlFiltersQuery } from "./url-filters.js";

const FILTERS = ["component", "provider", "model", "project", "user", "run", "worker", "task"] as const;
const PAGE_SIZE = 50;

/** A datetime-local value as epoch ms (undefined when empty). */
function instant(local: string): number | undefined {
  const ms = local ? new Date(local).getTime() : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

const cacheTokens = (e: UsageEvent) =>
  (e.usage.cacheReadTokens ?? 0) + (e.usage.cacheWriteTokens ?? 0) + (e.usage.cacheWrite1hTokens ?? 0);

/** The API query of the form's values. */
function queryOf(draft: Record<string, string>): Query {
  const q: Query = { from: instant(draft.from ?? ""), to: instant(draft.to ?? "") };
  for (const f of FILTERS) q[f] = draft[f]?.trim() || undefined;
  return q;
}

/** Keeps the applied filters in the address bar (replacing the entry: no history per filter). */
function keepInUrl(draft: Record<string, string>): void {
  history.replaceState(history.state, "", `${location.pathname}${urlFiltersQuery(draft)}`);
}

/** The filter form; applies on submit. */
function Filters(props: { initial: Record<string, string>; onApply: (q: Query) => void }) {
  const [draft, setDraft] = useState<Record<string, string>>(props.initial);
  const set = (k: string) => (e: Event) =>
    setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });
  const submit = (e: Event) => {
    e.preventDefault();
    keepInUrl(draft);
    props.onApply(queryOf(draft));
  };
  return (
    <form class="filters" onSubmit={submit}>
      <label>
        From <input type="datetime-local" name="from" value={draft.from ?? ""} onInput={set("from")} />
      </label>
      <label>
        To <input type="datetime-local" name="to" value={draft.to ?? ""} onInput={set("to")} />
      </label>
      {FILTERS.map((f) => (
        <label key={f}>
          {f} <input name={f} value={draft[f] ?? ""} onInput={set(f)} placeholder="any" />
        </label>
      ))}
      <div class="filter-actions">
        <button type="submit" class="primary">
          Apply
        </button>
        <button
          type="reset"
          onClick={() => {
            setDraft({});
            keepInUrl({});
            props.onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}

/** The ledger: filter by dimensions and time, page through events, export CSV or JSON. */
export function UsageExplorer() {
  const live = useLive();
  const [initial] = useState(() => readUrlFilters(location.search));
  const [query, setQuery] = useState<Query>(() => queryOf(initial));
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [exportError, setExportError] = useState<string | null>(null);
  const cursor = cursors.at(-1);
  // Newest first: the call a person is looking for is usually the latest.
  const page = useAsync(
    () => api.usage({ ...query, order: "desc", limit: PAGE_SIZE, cursor }),
    [query, cursor, live.usage],
  );
  const events = page.data?.items ?? [];
  const exportAs = (format: "csv" | "json") =>
    download({ ...query, format }, `usage.${format}`).then(
      () => setExportError(null),
      (err: Error) => setExportError(err.message),
    );
  return (
    <div class="view">
      <Panel
        title="Usage"
        actions={
          <>
            <button type="button" onClick={() => exportAs("csv")}>
              Export CSV
            </button>
            <button type="button" onClick={() => exportAs("json")}>
              Export JSON
            </button>
          </>
        }
      >
        <Filters
          initial={initial}
          onApply={(q) => {
            setQuery(q);
            setCursors([undefined]);
          }}
        />
        {exportError && <p class="state state-error">{exportError}</p>}
        <Status error={page.error} loading={!page.data} empty={page.data && events.length === 0}>
          No usage matches.
        </Status>
        {events.length > 0 && (
          <div class="scroll">
            <table class="grid dense" data-testid="usage">
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Component</th>
                  <th>Provider</th>
                  <th>Model</th>
                  <th>Project</th>
                  <th class="num">Input</th>
                  <th class="num">Cache</th>
                  <th class="num">Output</th>
                  <th class="num">Cost</th>
                </tr>
              </thead>
              <tbody>
                {events.map((e) => (
                  <tr key={e.id} class={e.kind === "adjustment" ? "adjustment" : ""}>
                    <td class="nowrap">{formatTime(e.time)}</td>
                    <td>{e.dimensions.component ?? ""}</td>
                    <td>{e.dimensions.provider ?? ""}</td>
                    <td>{e.dimensions.model ?? ""}</td>
                    <td>{e.dimensions.project ?? ""}</td>
                    <td class="num">{formatInt(e.usage.inputTokens ?? 0)}</td>
                    <td class="num">{formatInt(cacheTokens(e))}</td>
                    <td class="num">{formatInt(e.usage.outputTokens ?? 0)}</td>
                    <td class="num" title={`$${e.costUsd}`}>
                      {formatUsd(e.costUsd)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div class="pager">
          <span class="muted">Oldest first · page {cursors.length}</span>
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
