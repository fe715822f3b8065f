import type * as Commander from "@commander-js/extra-typings";
import { Command } from "./commander.js";
import { registerAdvise } from "./commands/advise.js";
import { registerAlerts } from "./commands/alerts.js";
import { registerAssistant } from "./commands/assistant.js";
import { registerCheck } from "./commands/check.js";
import { registerCost } from "./commands/cost.js";
import { registerExport } from "./commands/export.js";
import { registerKeys } from "./commands/keys.js";
import { registerReconcile } from "./commands/maintenance.js";
import { registerOverride } from "./commands/override.js";
import { registerPrices } from "./commands/prices.js";
import { registerRecommend } from "./commands/recommend.js";
import { registerRecord } from "./commands/record.js";
import { registerReport } from "./commands/report.js";
import { registerReset } from "./commands/reset.js";
import { registerRuns } from "./commands/runs.js";
import { registerServe } from "./commands/serve.js";
import { registerSet } from "./commands/set.js";
import { registerStatus } from "./commands/status.js";
import { createRunner, type RunnerOptions } from "./context.js";

/** The command registrations, in the order `budget --help` lists them. */
const COMMANDS = [
  registerStatus,
  registerSet,
  registerOverride,
  registerReset,
  registerCheck,
  registerRecord,
  registerCost,
  registerRecommend,
  registerAdvise,
  registerAssistant,
  registerReport,
  registerExport,
  registerPrices,
  registerAlerts,
  registerRuns,
  registerKeys,
  registerReconcile,
  registerServe,
];

/** Options of {@link createProgram}. */
export interface ProgramOptions {
  /**
   * The process runs this one command and exits (the `budget` bin): zod checks without compiling
   * its schemas to JavaScript (see {@link RunnerOptions.oneShot}).
   */
  oneShot?: boolean;
}

/**
 * Builds the `budget` program: global flags choose a local database file or a remote service;
 * each command talks to one backend. Commander errors are thrown (exitOverride) so the caller
 * maps them to exit code 2.
 */
export function createProgram(options: ProgramOptions = {}): Commander.Command<[], Record<string, unknown>> {
  const program = new Command("budget")
    .description("Token and dollar budgets for LLM usage")
    .version("0.1.0")
    .option("--db <file>", "SQLite database file (env BUDGET_DB; PostgreSQL: env BUDGET_DATABASE_URL)")
    .option("--url <url>", "a Budget server instead of a database (env BUDGET_URL)")
    .option("--api-key <key>", "API key for --url (env BUDGET_API_KEY)")
    .option("--config <file>", "the JSON or YAML config file the server reads (env BUDGET_CONFIG)")
    .option("--verbose", "say on stderr which backend each command talks to, and why")
    .option("--json", "machine-readable JSON on stdout (money as USD decimal strings)")
    .option("--no-color", "no colors (also NO_COLOR, or when stdout is not a terminal)")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride() as unknown as Commander.Command<[], Record<string, unknown>>;
  program.configureHelp({ showGlobalOptions: true });
  const runner = createRunner(program, { oneShot: options.oneShot === true });
  for (const register of COMMANDS) register(program, runner);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}
