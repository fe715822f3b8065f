import type { Dimension, ReportRow } from "../api/types.js";
import { formatInt, formatPercent, formatUsd, usdToNano } from "../lib/format.js";
import { ShareBar } from "./ui.js";

/** Rows sorted by cost, biggest first (exact: compared as nano-USD). */
export function byCost(rows: ReportRow[]): ReportRow[] {
  return [...rows].sort((a, b) => {
    const d = usdToNano(b.costUsd) - usdToNano(a.costUsd);
    return d > 0n ? 1 : d < 0n ? -1 : b.tokens - a.tokens;
  });
}

/** Report rows grouped by one dimension: calls, tokens, cost and each row's share of the cost. */
export function ShareTable(props: { dimension: Dimension; rows: ReportRow[]; testId: string }) {
  const rows = byCost(props.rows);
  const total = rows.reduce((s, r) => s + usdToNano(r.costUsd), 0n);
  return (
    <table class="grid" data-testid={props.testId}>
      <thead>
        <tr>
          <th>{props.dimension}</th>
          <th class="num">Calls</th>
          <th class="num">Tokens</th>
          <th class="num">Cost</th>
          <th class="share">Share</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const share = total > 0n ? Number((usdToNano(r.costUsd) * 10_000n) / total) / 10_000 : 0;
          const name = r.group[props.dimension];
          return (
            <tr key={name ?? "(none)"}>
              <td class={name ? "" : "muted"}>{name ?? "(none)"}</td>
              <td class="num">{formatInt(r.events)}</td>
              <td class="num">{formatInt(r.tokens)}</td>
              <td class="num">{formatUsd(r.costUsd)}</td>
              <td class="share">
                <ShareBar ratio={share} />
                <span class="pct num">{formatPercent(share)}</span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
