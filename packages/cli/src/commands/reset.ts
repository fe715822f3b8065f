import type { Command } from "@commander-js/extra-typings";
import type { CliRunner } from "../context.js";
import { CliError, EXIT, usageError } from "../exit-codes.js";

async function confirm(question: string): Promise<boolean> {
  // Loaded here: every other command (and --help) starts without Node's readline.
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** `budget reset <budget-id>`: start every window of a budget afresh (asks first unless --yes). */
export function registerReset(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  program
    .command("reset")
    .description(
      "reset a budget: its windows start now, earlier usage no longer counts (the ledger keeps it)",
    )
    .argument("<budget-id>", "the budget to reset")
    .option("-y, --yes", "do not ask for confirmation")
    .action((budgetId, opts) =>
      runner.run(async ({ ui, backend }) => {
        const { client } = await backend();
        if (!(await client.getBudget(budgetId)))
          throw new CliError(`budget ${budgetId} not found`, EXIT.notFound, "not_found");
        if (!opts.yes) {
          if (!ui.interactive)
            throw usageError("reset needs confirmation: run it in a terminal or pass --yes");
          if (!(await confirm(`Reset budget ${budgetId}? Usage so far stops counting against it. [y/N] `))) {
            ui.note("not reset");
            return EXIT.error;
          }
        }
        const budget = await client.resetBudget(budgetId);
        if (ui.json) return ui.printJson(budget);
        ui.line(
          `${ui.colors.green("reset")} ${budgetId} at ${new Date(budget.resetAt ?? Date.now()).toISOString()}`,
        );
      }),
    );
}
