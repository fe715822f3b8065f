import { useMemo, useState } from "preact/hooks";
import { api } from "../../api/api.js";
import { Panel, Status } from "../../components/ui.js";
import { formatTime } from "../../lib/format.js";
import { useLive } from "../../lib/live.js";
import { useAsync } from "../../lib/use-async.js";
import { PendingChanges } from "./pending.js";
import { PriceHistory } from "./price-history.js";
import { formatRate, RATE_COLUMNS } from "./rates.js";

const SHOWN = 200;

/** The price catalog: search the prices in force, open a model's history, decide pending changes. */
export function Prices() {
  const live = useLive();
  const routes = useAsync(() => api.routes(), []);
  const prices = useAsync(() => api.prices(), [live.prices]);
  const pending = useAsync(() => api.pending(), [live.prices]);
  const [search, setSearch] = useState("");
  const [open, setOpen] = useState<{ provider: string; model: string } | null>(null);
  const matches = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    return (prices.data?.items ?? []).filter((v) => {
      const name = `${v.provider}/${v.model}`.toLowerCase();
      return words.every((w) => name.includes(w));
    });
  }, [prices.data, search]);
  return (
    <div class="view">
      <PendingChanges
        items={pending.data?.items ?? []}
        canDecide={routes.data?.has("POST /v1/prices/pending/{id}/approve") ?? false}
        onDecided={() => {
          pending.reload();
          prices.reload();
        }}
      />
      {open && <PriceHistory {...open} onClose={() => setOpen(null)} />}
      <Panel
        title="Prices in force"
        actions={
          <input
            type="search"
            class="search"
            placeholder="Search provider or model…"
            value={search}
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        }
      >
        <p class="muted note">
          USD per million tokens. {matches.length} models
          {matches.length > SHOWN ? `, first ${SHOWN} shown` : ""}.
        </p>
        <Status error={prices.error} loading={!prices.data} empty={prices.data && matches.length === 0}>
          No model matches.
        </Status>
        {matches.length > 0 && (
          <table class="grid dense" data-testid="prices">
            <thead>
              <tr>
                <th>Provider</th>
                <th>Model</th>
                {RATE_COLUMNS.map((c) => (
                  <th class="num" key={c.key}>
                    {c.label}
                  </th>
                ))}
                <th>Source</th>
                <th>Since</th>
              </tr>
            </thead>
            <tbody>
              {matches.slice(0, SHOWN).map((v) => (
                <tr
                  key={v.id}
                  class="clickable"
                  onClick={() => setOpen({ provider: v.provider, model: v.model })}
                >
                  <td class="muted">{v.provider}</td>
                  <td>{v.model}</td>
                  {RATE_COLUMNS.map((c) => (
                    <td class="num" key={c.key}>
                      {formatRate(v.tokenRates[c.key])}
                    </td>
                  ))}
                  <td>{v.source}</td>
                  <td class="nowrap">{v.effectiveFrom > 0 ? formatTime(v.effectiveFrom) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}
