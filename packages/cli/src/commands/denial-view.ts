import type { Amounts, Denial, LimitAmounts } from "@budget/core";
import { formatCount, formatLocalTime, formatMoney, formatRelative } from "../output/format.js";
import type { Colors } from "../output/ui.js";
import { describeWindow } from "../parse/window.js";

function limitText(a: LimitAmounts | null): string {
  if (!a) return "-";
  const parts: string[] = [];
  if (a.costNanoUsd !== undefined) parts.push(formatMoney(a.costNanoUsd));
  if (a.tokens !== undefined) parts.push(`${formatCount(a.tokens)} tokens`);
  if (a.requests !== undefined) parts.push(`${formatCount(a.requests)} requests`);
  return parts.join(", ") || "unlimited";
}

function amountsText(a: Amounts): string {
  return `${formatMoney(a.costNanoUsd)}, ${formatCount(a.tokens)} tokens, ${formatCount(a.requests)} requests`;
}

/** Why a request was refused, for people: which budget and limit, what remains, when it resets. */
export function describeDenial(d: Denial, colors: Colors, now: number): string {
  const lines = [`${colors.red(colors.bold("denied"))}: ${d.message}`];
  if (d.budgetId) {
    const where = `${d.budgetId} / ${d.limitId ?? "?"}${d.partition ? ` [${d.partition}]` : ""}`;
    lines.push(
      `  budget:    ${where} (${d.enforcement ?? ""}${d.window ? `, ${describeWindow(d.window)}` : ""})`,
    );
  }
  lines.push(`  limit:     ${limitText(d.limit)}`);
  if (d.current) lines.push(`  used:      ${amountsText(d.current)} (including holds)`);
  lines.push(`  requested: ${amountsText(d.requested)}`);
  lines.push(`  remaining: ${limitText(d.remaining)}`);
  if (d.resetsAt !== null)
    lines.push(`  resets:    ${formatLocalTime(d.resetsAt)} (${formatRelative(d.resetsAt, now)})`);
  if (d.retryAfterMs !== null) lines.push(`  retry:     ${formatRelative(now + d.retryAfterMs, now)}`);
  return lines.join("\n");
}
