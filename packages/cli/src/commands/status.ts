import type {
  BudgetClient,
  BudgetStatus,
  LimitAmounts,
  LimitStatus,
  Scope,
  StatusQuery,
  StatusSummary,
} from "@budget/core";
import { isClosedAt } from "@budget/core/basics";
import type { Command } from "@commander-js/extra-typings";
import type { CliRunner } from "../context.js";
import { CliError, EXIT } from "../exit-codes.js";
import { formatCount, formatLocalTime, formatMoney, formatRelative } from "../output/format.js";
import { formatJson } from "../output/json.js";
import { renderTable } from "../output/table.js";
import type { Colors, Ui } from "../output/ui.js";
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

/** The summary line: limits by state, budgets disabled and closed. */
export function summaryLine(summary: StatusSummary, colors: Colors): string {
  const c = summary.counts;
  const parts = [
    c.over > 0 ? colors.red(`${formatCount(c.over)} over`) : "0 over",
    c.near > 0 ? colors.yellow(`${formatCount(c.near)} near (≥ 80 %)`) : "0 near",
    `${formatCount(c.within)} within`,
  ];
  const extra = [
    ...(c.disabled > 0 ? [`${formatCount(c.disabled)} disabled`] : []),
    ...(c.closed > 0 ? [`${formatCount(c.closed)} closed`] : []),
  ];
  const n = (count: number, word: string) => `${formatCount(count)} ${word}${count === 1 ? "" : "s"}`;
  return `${n(c.budgets, "budget")}, ${n(c.limits, "limit")}: ${parts.join(", ")}${
    extra.length > 0 ? ` (${extra.join(", ")})` : ""
  }`;
}

/**
 * `budget status [budget-id]`: a summary (limits over, near and within their limits) and the
 * closest to their limits first; one budget, or `--all`, in full.
 */
export function registerStatus(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  program
    .command("status")
    .description(
      "summarise budgets and show the closest to their limits first (one budget, or --all, in full)",
    )
    .argument("[budget-id]", "only this budget")
    .option("--partition <partition>", "only this partition, e.g. worker=w1")
    .option("--limit <n>", "show the n limits closest to their limits (default 20)")
    .option("--all", "every limit of every open budget, by budget id")
    .option("--include-closed", "also closed budgets (activeUntil passed)")
    .action((budgetId, opts) =>
      runner.run(async ({ ui, backend, now }) => {
        const opened = await backend();
        const { client } = opened;
        const limit = opts.limit === undefined ? 20 : Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw new CliError(
            `--limit must be a whole number ≥ 1 (got ${opts.limit})`,
            EXIT.usage,
            "invalid_input",
          );
        const query: StatusQuery = {};
        if (budgetId) query.budgetId = budgetId;
        if (opts.partition !== undefined) query.partition = opts.partition;
        if (opts.includeClosed) query.includeClosed = true;
        if (!ui.json) ui.line(ui.colors.dim(opened.description));
        if (!budgetId && !opts.all && !ui.json) return showSummary(ui, client, { limit, now: now(), query });
        if (!budgetId && opts.all && opts.limit === undefined && Object.keys(query).length === 0)
          return showAll(ui, opened.budgetPages(STATUS_PAGE), now());
        if (opts.limit !== undefined) Object.assign(query, { order: "utilization", limit });
        const rows = await client.status(query);
        if (budgetId && rows.length === 0 && !(await client.getBudget(budgetId))) {
          throw new CliError(`budget ${budgetId} not found`, EXIT.notFound, "not_found");
        }
        if (ui.json) return ui.printJson(rows);
        const shown = new Set(rows.map((r) => r.budgetId));
        const quiet = budgetId
          ? [await client.getBudget(budgetId)].filter((b) => b !== null && !shown.has(b.id))
          : (await client.listBudgets()).filter(
              (b) => !shown.has(b.id) && (opts.includeClosed || !isClosedAt(b, now())),
            );
        if (rows.length === 0 && quiet.length === 0)
          return ui.line(ui.colors.dim("no budgets yet: create one with `budget set`"));
        if (rows.length > 0) ui.line(statusTable(rows, ui.colors, now()));
        // Disabled budgets, and `each` budgets before a partition sees usage in the window, have no row.
        for (const b of quiet) if (b) ui.line(ui.colors.dim(quietLine(b)));
      }),
    );
}

/** Budgets per page of `status --all`: the rows of 5,000 budgets are never held (or sent) at once. */
export const STATUS_PAGE = 500;

/**
 * `status --all`: every open budget by id, a page at a time — a table (and the budgets without rows)
 * per page, or one JSON array of rows written as the pages come, as `status --json` prints it.
 */
async function showAll(ui: Ui, pages: AsyncIterable<BudgetStatus[]>, now: number): Promise<void> {
  let rows = 0;
  let budgets = 0;
  for await (const page of pages) {
    budgets += page.length;
    // Rows in the budget's limit order, as `status <budget-id>` lists them.
    const pageRows = page.flatMap((b) => {
      const order = new Map(b.budget.limits.map((l, i) => [l.id, i]));
      return b.limits.sort((x, y) => (order.get(x.limitId) ?? 0) - (order.get(y.limitId) ?? 0));
    });
    if (ui.json) {
      for (const row of pageRows)
        process.stdout.write(`${rows++ === 0 ? "[\n" : ",\n"}${formatJson(row).replace(/^/gm, "  ")}`);
      continue;
    }
    rows += pageRows.length;
    if (pageRows.length > 0) ui.line(statusTable(pageRows, ui.colors, now));
    for (const b of page) if (b.limits.length === 0) ui.line(ui.colors.dim(quietLine(b.budget)));
  }
  if (ui.json) process.stdout.write(rows === 0 ? "[]\n" : "\n]\n");
  else if (budgets === 0) ui.line(ui.colors.dim("no budgets yet: create one with `budget set`"));
}

function quietLine(b: { id: string; enabled: boolean; scope: Scope }): string {
  return b.enabled
    ? `${b.id}: no usage in the current window yet (a counter per ${eachOf(b.scope)} appears on first use)`
    : `${b.id}: disabled (enable it with \`budget set ${b.id} --enable\`)`;
}

async function showSummary(
  ui: { line(s: string): void; colors: Colors },
  client: BudgetClient,
  o: { limit: number; now: number; query: StatusQuery },
): Promise<void> {
  const summary = await client.statusSummary({
    top: o.limit,
    ...(o.query.includeClosed ? { includeClosed: true } : {}),
  });
  if (summary.counts.budgets === 0)
    return ui.line(ui.colors.dim("no budgets yet: create one with `budget set`"));
  ui.line(summaryLine(summary, ui.colors));
  if (summary.top.length > 0) ui.line(statusTable(summary.top, ui.colors, o.now));
  const more = summary.counts.limits - summary.top.length;
  if (more > 0)
    ui.line(
      ui.colors.dim(`… ${formatCount(more)} more limits: --limit <n> for more, --all for every one by id`),
    );
}
