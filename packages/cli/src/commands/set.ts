import { readFileSync } from "node:fs";
import type { BudgetInput } from "@budget/core";
import { ENFORCEMENTS, type Enforcement } from "@budget/core/basics";
import type { Command } from "@commander-js/extra-typings";
import { InvalidArgumentError } from "../commander.js";
import type { CliRunner } from "../context.js";
import { usageError } from "../exit-codes.js";
import { collect, parseCount, parsePositive, parseUsd, splitList } from "../parse/values.js";
import { parseWindow } from "../parse/window.js";
import { applyBudgetEdit, type BudgetEdit } from "./budget-edit.js";
import { describeBudget } from "./budget-view.js";

/** `none` as parsed: a marker, since commander turns a parser's `null` into `''`. */
const NONE = Symbol("none");

const orNone =
  <T>(parse: (s: string) => T) =>
  (s: string): T | typeof NONE =>
    s === "none" ? NONE : parse(s);

/** An option's value for the edit: unset, removed (`none` → null), or the amount. */
function amount<T>(v: T | typeof NONE | undefined): T | null | undefined {
  return v === NONE ? null : v;
}

function parseEnforcement(s: string): Enforcement {
  const e = ENFORCEMENTS.find((x) => x === s.replace(/-/g, "_"));
  if (!e) throw new InvalidArgumentError(`must be one of ${ENFORCEMENTS.join(", ")}`);
  return e;
}

function parseThresholds(s: string): number[] {
  const list = splitList(s).map((t) => (t.endsWith("%") ? Number(t.slice(0, -1)) / 100 : Number(t)));
  if (list.length === 0 || list.some((t) => !Number.isFinite(t) || t <= 0))
    throw new InvalidArgumentError('must be a list such as "0.5,0.8,1" or "50%,80%,100%"');
  return list;
}

// Read synchronously: `node:fs/promises` would load with every command (~8 % of `node -e 0`).
function readBudgetFile(file: string): BudgetInput[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw usageError(`--file ${file}: ${(err as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list as BudgetInput[];
}

/** `budget set`: create or change one limit of a budget (the others kept), or apply a JSON file. */
export function registerSet(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  program
    .command("set")
    .description("create or change a budget limit (other limits are kept), or apply budgets from --file")
    .argument("[budget-id]", "the budget to create or change")
    .option("--file <file>", "a JSON budget definition (or an array of them) to create or replace")
    .option(
      "--limit <limit-id>",
      "the limit to create or change (default: the only one, or the window's name)",
    )
    .option(
      "--window <window>",
      "hour|day|week|month|quarter|year|lifetime|rolling:<duration> (e.g. rolling:24h)",
    )
    .option("--anchor-day <day>", "month/quarter/year: the day the period starts on", parsePositive)
    .option("--anchor-month <month>", "year/quarter: the month the period starts in", parsePositive)
    .option(
      "--anchor-weekday <weekday>",
      "week: the weekday it starts on, 0 = Sunday (default 1)",
      parseCount,
    )
    .option("--anchor-hour <hour>", "day and longer: the local hour it starts at", parseCount)
    .option("--tokens <n>", 'token limit ("none" removes it)', orNone(parsePositive))
    .option("--cost <usd>", 'dollar limit, e.g. 25 or 0.50 ("none" removes it)', orNone(parseUsd))
    .option("--requests <n>", 'request limit ("none" removes it)', orNone(parsePositive))
    .option(
      "--concurrency <n>",
      'reservations in flight at once, per partition ("none" removes it)',
      orNone(parsePositive),
    )
    .option(
      "--priority-share <fraction>",
      'share kept for high and critical callers, e.g. 0.1 ("none" removes it)',
      orNone(Number),
    )
    .option("--enforcement <mode>", `${ENFORCEMENTS.join("|")} (default hard_limit)`, parseEnforcement)
    .option("--thresholds <list>", "alert thresholds, e.g. 0.5,0.8,1", parseThresholds)
    .option(
      "--fallback-model <model>",
      'soft_limit: the cheaper model to answer with ("none" removes it)',
      orNone(String),
    )
    .option("--remove-limit <limit-id>", "remove this limit")
    .option(
      "--scope <key=value>",
      "scope selector (repeatable): component=planner, worker=each, model=* to clear",
      collect,
    )
    .option("--timezone <iana>", "time zone of calendar windows, e.g. Europe/Paris")
    .option("--name <name>", "display name")
    .option("--description <text>", "description")
    .option("--disable", "stop enforcing and counting this budget")
    .option("--enable", "enforce and count this budget again")
    .action((budgetId, opts) =>
      runner.run(async ({ ui, backend }) => {
        if (opts.file) {
          if (budgetId) throw usageError("give either a budget id with flags or --file, not both");
          const { client } = await backend();
          const saved = [];
          for (const input of readBudgetFile(opts.file)) saved.push(await client.upsertBudget(input));
          if (ui.json) return ui.printJson(saved);
          for (const b of saved) ui.line(describeBudget(b, ui.colors));
          return;
        }
        if (!budgetId) throw usageError("give a budget id (budget set <budget-id> …) or --file <file>");
        if (opts.enable && opts.disable) throw usageError("give --enable or --disable, not both");
        const anchors = {
          ...(opts.anchorDay !== undefined ? { anchorDay: opts.anchorDay } : {}),
          ...(opts.anchorMonth !== undefined ? { anchorMonth: opts.anchorMonth } : {}),
          ...(opts.anchorWeekday !== undefined ? { anchorWeekday: opts.anchorWeekday } : {}),
          ...(opts.anchorHour !== undefined ? { anchorHour: opts.anchorHour } : {}),
        };
        const edit: BudgetEdit = { budgetId };
        if (opts.window) edit.window = parseWindow(opts.window, anchors);
        else if (Object.keys(anchors).length > 0) throw usageError("--anchor-* flags go with --window");
        if (opts.limit) edit.limitId = opts.limit;
        const tokens = amount(opts.tokens);
        const cost = amount(opts.cost);
        const requests = amount(opts.requests);
        const concurrency = amount(opts.concurrency);
        const priorityShare = amount(opts.priorityShare);
        const fallbackModel = amount(opts.fallbackModel);
        if (tokens !== undefined) edit.tokens = tokens;
        if (cost !== undefined) edit.cost = cost;
        if (requests !== undefined) edit.requests = requests;
        if (concurrency !== undefined) edit.concurrency = concurrency;
        if (priorityShare !== undefined) edit.priorityShare = priorityShare;
        if (opts.enforcement) edit.enforcement = opts.enforcement;
        if (opts.thresholds) edit.thresholds = opts.thresholds;
        if (fallbackModel !== undefined) edit.fallbackModel = fallbackModel;
        if (opts.removeLimit) edit.removeLimit = opts.removeLimit;
        if (opts.scope) edit.scope = opts.scope;
        if (opts.timezone) edit.timezone = opts.timezone;
        if (opts.name) edit.name = opts.name;
        if (opts.description !== undefined) edit.description = opts.description;
        if (opts.enable || opts.disable) edit.enabled = opts.enable === true;
        const { client } = await backend();
        const saved = await client.upsertBudget(applyBudgetEdit(await client.getBudget(budgetId), edit));
        if (ui.json) return ui.printJson(saved);
        ui.line(describeBudget(saved, ui.colors));
      }),
    );
}
