import { useState } from "preact/hooks";
import type { Budget, LimitStatus } from "../../api/types.js";
import { Badge, UtilizationBar } from "../../components/ui.js";
import {
  formatInt,
  formatPercent,
  formatRelative,
  formatTime,
  formatUsd,
  usdToNumber,
} from "../../lib/format.js";
import { bindingMetric, limitedMetrics, type Metric, windowLabel } from "./burn-data.js";
import { BurnDown } from "./burn-down.js";

const ENFORCEMENT_TONE = { hard_limit: "over", soft_limit: "warn", warn: "info", ignore: "muted" } as const;

interface AmountRow {
  label: string;
  used: string;
  cap: string;
  remaining: string;
  reserved: string;
  ratio: number;
}

/** The limited amounts of a status as display rows. */
function amountRows(s: LimitStatus): AmountRow[] {
  const rows: AmountRow[] = [];
  if (s.limit.costUsd !== undefined)
    rows.push({
      label: "Spend",
      used: formatUsd(s.used.costUsd),
      cap: formatUsd(s.limit.costUsd),
      remaining: formatUsd(s.remaining.costUsd ?? "0"),
      reserved: formatUsd(s.reserved.costUsd),
      ratio: usdToNumber(s.used.costUsd) / usdToNumber(s.limit.costUsd),
    });
  if (s.limit.tokens !== undefined)
    rows.push({
      label: "Tokens",
      used: formatInt(s.used.tokens),
      cap: formatInt(s.limit.tokens),
      remaining: formatInt(s.remaining.tokens ?? 0),
      reserved: formatInt(s.reserved.tokens),
      ratio: s.used.tokens / s.limit.tokens,
    });
  if (s.limit.requests !== undefined)
    rows.push({
      label: "Requests",
      used: formatInt(s.used.requests),
      cap: formatInt(s.limit.requests),
      remaining: formatInt(s.remaining.requests ?? 0),
      reserved: formatInt(s.reserved.requests),
      ratio: s.used.requests / s.limit.requests,
    });
  return rows;
}

/** One limit's current window: used against the cap per amount, remaining, reset, burn-down. */
export function LimitCard(props: { status: LimitStatus; budget: Budget | undefined }) {
  const s = props.status;
  const [chosen, setChosen] = useState<Metric | null>(null);
  const metrics = limitedMetrics(s.limit);
  // The amount that binds, unless the person switched to another.
  const metric = chosen !== null && metrics.includes(chosen) ? chosen : bindingMetric(s);
  const id = `${s.budgetId}/${s.limitId}${s.partition ? `/${s.partition}` : ""}`;
  return (
    <article class="limit" data-testid={`limit-${id}`}>
      <header class="limit-head">
        <div>
          <span class="limit-id">{s.limitId}</span>
          {s.partition && <span class="partition">{s.partition}</span>}
        </div>
        <div class="limit-meta">
          <Badge tone="muted">{windowLabel(s)}</Badge>
          <Badge tone={ENFORCEMENT_TONE[s.enforcement as keyof typeof ENFORCEMENT_TONE] ?? "muted"}>
            {s.enforcement.replace("_", " ")}
          </Badge>
        </div>
      </header>
      <table class="amounts">
        <thead>
          <tr>
            <th />
            <th class="num">Used</th>
            <th class="num">Limit</th>
            <th class="num">Remaining</th>
            <th class="num">Reserved</th>
            <th class="bar-col" />
          </tr>
        </thead>
        <tbody>
          {amountRows(s).map((r) => (
            <tr key={r.label} data-testid={`amount-${r.label.toLowerCase()}`}>
              <th>{r.label}</th>
              <td class="num used">{r.used}</td>
              <td class="num cap">{r.cap}</td>
              <td class="num">{r.remaining}</td>
              <td class="num muted">{r.reserved}</td>
              <td class="bar-col">
                <UtilizationBar ratio={r.ratio} />
                <span class="pct num">{formatPercent(r.ratio)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="limit-reset">
        {s.resetsAt !== null ? (
          <>
            Resets <strong>{formatRelative(s.resetsAt)}</strong> · {formatTime(s.resetsAt)}
          </>
        ) : (
          "Never resets"
        )}
        <span class="muted"> · window since {formatTime(s.windowStart)}</span>
      </p>
      {metrics.length > 1 && (
        <div class="segmented burn-metric" data-testid="burn-metric">
          {metrics.map((m) => (
            <button key={m} type="button" class={m === metric ? "active" : ""} onClick={() => setChosen(m)}>
              {m}
            </button>
          ))}
        </div>
      )}
      <BurnDown status={s} budget={props.budget} metric={metric} />
    </article>
  );
}
