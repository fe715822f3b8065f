import { useState } from "preact/hooks";
import { api } from "../../api/api.js";
import type { AdviceItem } from "../../api/types.js";
import { Badge, Kpi, Panel, ShareBar, Status } from "../../components/ui.js";
import { formatTime, formatUsd, usdToNano } from "../../lib/format.js";
import { useAsync } from "../../lib/use-async.js";

const DAY_MS = 86_400_000;
const RANGES = [7, 30, 90] as const;
const KIND_LABEL: Record<AdviceItem["kind"], string> = {
  cheaper_model: "cheaper model",
  low_cache_reads: "caching",
  batch: "batch",
  budget_forecast: "forecast",
  unreconciled_estimates: "estimates",
};
const KIND_TONE = {
  cheaper_model: "ok",
  low_cache_reads: "info",
  batch: "info",
  budget_forecast: "over",
  unreconciled_estimates: "warn",
} as const;

/** What an item would save, in nano-USD (the best alternative, or the batch saving), for the total. */
export function savingOf(item: AdviceItem): bigint {
  if (item.kind === "cheaper_model") return usdToNano(item.alternatives?.[0]?.savingUsd ?? "0");
  if (item.kind === "batch") return usdToNano(String(item.figures.savingUsd ?? "0"));
  return 0n;
}

const scopeText = (s: Record<string, string | null>) =>
  Object.entries(s)
    .map(([k, v]) => `${k} ${v ?? "(none)"}`)
    .join(" · ");

/** One item: its title, figures, alternatives, how it was computed and the queries behind it. */
function AdviceCard(props: { item: AdviceItem }) {
  const { item } = props;
  return (
    <article class="advice-item" data-kind={item.kind}>
      <header>
        <Badge tone={KIND_TONE[item.kind]}>{KIND_LABEL[item.kind]}</Badge> <strong>{item.title}</strong>
      </header>
      <p class="muted">{scopeText(item.scope)}</p>
      <table class="grid dense">
        <tbody>
          {Object.entries(item.figures).map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td class="num">{v === null ? "—" : String(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {item.alternatives && item.alternatives.length > 0 && (
        <table class="grid dense" data-testid="alternatives">
          <thead>
            <tr>
              <th>Alternative</th>
              <th class="num">Cost</th>
              <th class="num">Saving</th>
              <th class="num">%</th>
              <th>Price version</th>
            </tr>
          </thead>
          <tbody>
            {item.alternatives.map((a) => (
              <tr key={a.priceVersionId}>
                <td>
                  {a.provider}/{a.model}
                </td>
                <td class="num">{formatUsd(a.costUsd)}</td>
                <td class="num" data-saving={a.savingUsd}>
                  {formatUsd(a.savingUsd)}
                </td>
                <td class="num">{a.savingPct === null ? "—" : `${a.savingPct}%`}</td>
                <td>
                  <code>{a.priceVersionId}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <details>
        <summary>How this was computed</summary>
        <p>{item.method}</p>
        <ul class="evidence">
          {item.queries.map((q) => (
            <li key={q.http}>
              <code>{q.cli}</code> — <code>{q.http}</code> ({q.read})
            </li>
          ))}
        </ul>
      </details>
    </article>
  );
}

/** Where the money goes and how to spend less: the ledger's advice over a range, each figure reproducible. */
export function Advice() {
  const [days, setDays] = useState<(typeof RANGES)[number]>(30);
  // Advice reads the whole range of the ledger: recomputed on demand, not on every live event.
  const [asked, setAsked] = useState(0);
  const advice = useAsync(() => {
    const to = Date.now();
    return api.advice({ from: to - days * DAY_MS, to });
  }, [days, asked]);
  const a = advice.data;
  const savings = (a?.items ?? []).reduce((s, i) => s + savingOf(i), 0n);
  const total = a ? usdToNano(a.totalCostUsd) : 0n;
  return (
    <div class="view">
      <Panel
        title="Advice"
        actions={
          <div class="segmented">
            {RANGES.map((d) => (
              <button key={d} type="button" class={d === days ? "active" : ""} onClick={() => setDays(d)}>
                {d} days
              </button>
            ))}
            <button type="button" onClick={() => setAsked((n) => n + 1)}>
              Refresh
            </button>
          </div>
        }
      >
        <Status error={advice.error} loading={!a} />
        {a && (
          <>
            <div class="kpis">
              <Kpi
                label="Spent"
                value={formatUsd(a.totalCostUsd)}
                hint={`${formatTime(a.from)} – ${formatTime(a.to)}`}
              />
              <Kpi
                label="Possible savings"
                value={formatUsd(savings)}
                {...(savings > 0n ? { tone: "ok" as const } : {})}
              />
              <Kpi label="Advice" value={String(a.items.length)} />
            </div>
            <table class="grid" data-testid="material">
              <thead>
                <tr>
                  <th>Component · task type · provider · model</th>
                  <th class="num">Spent</th>
                  <th class="share">Share</th>
                </tr>
              </thead>
              <tbody>
                {a.material.map((m) => (
                  <tr key={JSON.stringify(m.scope)}>
                    <td>
                      {Object.values(m.scope)
                        .map((v) => v ?? "—")
                        .join(" · ")}
                    </td>
                    <td class="num">{formatUsd(m.costUsd)}</td>
                    <td class="share">
                      <ShareBar ratio={total > 0n ? Number(usdToNano(m.costUsd)) / Number(total) : 0} />{" "}
                      {m.sharePct}%
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p class="muted">
              Reproduce: <code>{a.queries[0]?.cli}</code>
            </p>
          </>
        )}
      </Panel>
      {a && (
        <Panel title="Recommendations">
          <Status empty={a.items.length === 0}>No advice for this range.</Status>
          <div data-testid="advice-items">
            {a.items.map((item, i) => (
              <AdviceCard key={`${item.kind}-${i}`} item={item} />
            ))}
          </div>
        </Panel>
      )}
    </div>
  );
}
