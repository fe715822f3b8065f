import type { Budget, Limit } from "@budget/core";
import { usdToNano } from "@budget/core/basics";
import { formatCount, formatMoney } from "../output/format.js";
import { renderTable } from "../output/table.js";
import type { Colors } from "../output/ui.js";
import { describeScope } from "../parse/scope.js";
import { describeWindow } from "../parse/window.js";

function amounts(l: Limit): string {
  const parts: string[] = [];
  if (l.cost !== undefined) parts.push(formatMoney(usdToNano(l.cost)));
  if (l.tokens !== undefined) parts.push(`${formatCount(l.tokens)} tokens`);
  if (l.requests !== undefined) parts.push(`${formatCount(l.requests)} requests`);
  if (l.concurrency !== undefined) parts.push(`${formatCount(l.concurrency)} in flight`);
  return parts.join(", ");
}

/** A budget for people: its scope, time zone and limits. */
export function describeBudget(b: Budget, colors: Colors): string {
  const head = `${colors.bold(b.id)}${b.name && b.name !== b.id ? ` (${b.name})` : ""}${b.enabled ? "" : colors.yellow(" [disabled]")}`;
  const lines = [head, `  scope: ${describeScope(b.scope)}   time zone: ${b.timezone}`];
  const table = renderTable(
    [
      { header: "Limit" },
      { header: "Window" },
      { header: "Amounts" },
      { header: "Enforcement" },
      { header: "Alerts at" },
    ],
    b.limits.map((l) => [
      l.id,
      describeWindow(l.window),
      amounts(l),
      l.enforcement + (l.fallbackModel ? ` → ${l.fallbackModel}` : ""),
      l.thresholds.map((t) => `${Math.round(t * 100)}%`).join(" "),
    ]),
    colors,
  );
  return `${lines.join("\n")}\n${table}`;
}
