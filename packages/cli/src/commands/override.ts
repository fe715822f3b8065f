import type { Command } from "@commander-js/extra-typings";
import type { CliRunner } from "../context.js";
import { CliError, EXIT } from "../exit-codes.js";
import { parseCount, parseUsd } from "../parse/values.js";
import { describeBudget } from "./budget-view.js";
import { applyOverrideEdit, type OverrideEdit } from "./override-edit.js";

/** `budget override`: other amounts for one partition of an `each` budget, or none again. */
export function registerOverride(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  program
    .command("override")
    .description("set (or --remove) the amounts of one partition of an each budget, e.g. user=alice")
    .argument("<budget-id>", "the budget")
    .argument("<match...>", "the partition: key=value for each of the budget's each dimensions")
    .option("--limit <limit-id>", "the limit to override (default: the only one)")
    .option("--tokens <n>", "token limit for this partition (0 blocks)", parseCount)
    .option("--cost <usd>", "dollar limit for this partition (0 blocks)", parseUsd)
    .option("--requests <n>", "request limit for this partition (0 blocks)", parseCount)
    .option("--concurrency <n>", "reservations in flight for this partition (0 blocks)", parseCount)
    .option("--remove", "drop the partition's override: the budget's amounts apply again")
    .action((budgetId, match, opts) =>
      runner.run(async ({ ui, backend }) => {
        const { client } = await backend();
        const existing = await client.getBudget(budgetId);
        if (!existing) throw new CliError(`budget ${budgetId} not found`, EXIT.notFound, "not_found");
        const edit: OverrideEdit = { match, amounts: {} };
        if (opts.limit) edit.limitId = opts.limit;
        if (opts.tokens !== undefined) edit.amounts.tokens = opts.tokens;
        if (opts.cost !== undefined) edit.amounts.cost = opts.cost;
        if (opts.requests !== undefined) edit.amounts.requests = opts.requests;
        if (opts.concurrency !== undefined) edit.amounts.concurrency = opts.concurrency;
        if (opts.remove) edit.remove = true;
        const saved = await client.upsertBudget(applyOverrideEdit(existing, edit));
        if (ui.json) return ui.printJson(saved);
        ui.line(describeBudget(saved, ui.colors));
      }),
    );
}
