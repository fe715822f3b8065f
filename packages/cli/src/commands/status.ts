import type { LimitAmounts, LimitStatus, Scope } from "@budget/core";
import type { Command } from "@commander-js/extra-typings";
import type { CliRunner } from "../context.js";
import { CliError, EXIT } from "../exit-codes.js";
import { formatCount, formatLocalTime, formatMoney, formatRelative } from "../output/format.js";
import { renderTable } from "../output/table.js";
import type { Colors } from "../output/ui.js";
import { describeWindow } from "../parse/window.js";

function usedOfLimit(used: string, limit: string | undefined): string {
  return limit === undefined ? used : `${used} / ${limit}`;
}

function remainingText(r: LimitAmounts): string {
  const parts: string[] = [];
  if (r.costNanoUsd !== undefined) parts.push(formatMoney(r.costNanoUsd));
  if (r.tokens !== undefined) parts.push(`${formatCount(r.tokens)} tok`);
  if (r.requests !== undefined) parts.push(`${formatCount(r.requests)} req`);
  return parts.join(", ") || "unlimited";
}

/** Utilization as a percentage, green below 80 %, yellow to 100 %, red past it. */
export function percentText(utilization: number, colors: Colors): string {
  const pct = `${(utilization * 100).toFixed(1)}%`;
  if (utilization >= 1) return colors.red(colors.bold(pct));
  if (utilization >= 0.8) return colors.yellow(pct);
  return colors.green(pct);
}

function resetText(resetsAt: number | null, now: number): string {
  return resetsAt === null ? "never" : `${formatLocalTime(resetsAt)} (${formatRelative(resetsAt, now)})`;
}

/** The status table: one row per limit and partition. */
export function statusTable(rows: LimitStatus[], colors: Colors, now: number): string {
  return renderTable(
    [
      { header: "Budget" },
      { header: "Limit" },
      { header: "Window" },
      { header: "Partition" },
      { header: "Tokens used/limit", align: "right" },
      { header: "Cost used/limit", align: "right" },
      { header: "Remaining", align: "right" },
      { header: "%", align: "right" },
      { header: "Resets" },
    ],
    rows.map((s) => [
      s.budgetName === s.budgetId ? s.budgetId : `${s.budgetId} (${s.budgetName})`,
      `${s.limitId} ${colors.dim(s.enforcement)}`,
      describeWindow(s.window),
      s.partition || colors.dim("-"),
      usedOfLimit(
        formatCount(s.used.tokens),
        s.limit.tokens === undefined ? undefined : formatCount(s.limit.tokens),
      ),
      usedOfLimit(
        formatMoney(s.used.costNanoUsd),
        s.limit.costNanoUsd === undefined ? undefined : formatMoney(s.limit.costNanoUsd),
      ),
      remainingText(s.remaining),
      percentText(s.utilization, colors),
      resetText(s.resetsAt, now),
    ]),
    colors,
  );
}

function eachOf(scope: Scope): string {
  const dims = Object.entries(scope)
    .filter(([, v]) => typeof v === "object" && v !== null && !Array.isArray(v))
    .map(([k]) => k);
  return dims.join(" × ") || "partition";
}

/** `budget status [budget-id]`: every budget's used / limit / remaining / reset. */
export function registerStatus(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  program
    .command("status")
    .description("show every budget: used / limit / remaining / reset, per limit and partition")
    .argument("[budget-id]", "only this budget")
    .option("--partition <partition>", "only this partition, e.g. worker=w1")
    .action((budgetId, opts) =>
      runner.run(async ({ ui, backend, now }) => {
        const opened = await backend();
        const { client } = opened;
        const query: { budgetId?: string; partition?: string } = {};
        if (budgetId) query.budgetId = budgetId;
        if (opts.partition !== undefined) query.partition = opts.partition;
        const rows = await client.status(query);
        if (budgetId && rows.length === 0 && !(await client.getBudget(budgetId))) {
          throw new CliError(`budget ${budgetId} not found`, EXIT.notFound, "not_found");
        }
        if (ui.json) return ui.printJson(rows);
        ui.line(ui.colors.dim(opened.description));
        const shown = new Set(rows.map((r) => r.budgetId));
        const quiet = (await client.listBudgets()).filter(
          (b) => !shown.has(b.id) && (!budgetId || b.id === budgetId),
        );
        if (rows.length === 0 && quiet.length === 0)
          return ui.line(ui.colors.dim("no budgets yet: create one with `budget set`"));
        if (rows.length > 0) ui.line(statusTable(rows, ui.colors, now()));
        // Disabled budgets, and `each` budgets before a partition sees usage in the window, have no row.
        for (const b of quiet)
          ui.line(
            ui.colors.dim(
              b.enabled
                ? `${b.id}: no usage in the current window yet (a counter per ${eachOf(b.scope)} appears on first use)`
                : `${b.id}: disabled (enable it with \`budget set ${b.id} --enable\`)`,
            ),
          );
      }),
    );
}
