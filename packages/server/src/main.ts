import { resolve } from "node:path";
import { isBudgetError } from "@budget/core";
import type { ServerConfig } from "./config/config-schema.js";
import { loadConfig } from "./config/load-config.js";
import { startServer } from "./start-server.js";

/** Which store the config opens, for the first line: PostgreSQL without its password, or the SQLite file. */
function describeStore(config: ServerConfig): string {
  const url = config.database.url;
  if (!url) return `SQLite ${resolve(config.database.file)}`;
  try {
    const u = new URL(url);
    return `PostgreSQL ${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "PostgreSQL (BUDGET_DATABASE_URL)";
  }
}

/**
 * `npm start`: runs the service with the config file named by `BUDGET_CONFIG` (or the first
 * argument), environment overrides (`BUDGET_HOST`, `BUDGET_PORT`, `BUDGET_DB`, …) and defaults
 * (127.0.0.1:4100, ./data/budget.db). Stops gracefully on SIGTERM and SIGINT.
 */
try {
  const config = loadConfig(process.env.BUDGET_CONFIG ?? process.argv[2]);
  process.stdout.write(`Budget store: ${describeStore(config)}\n`);
  const server = await startServer({ config, handleSignals: true });
  process.stdout.write(`Budget listening on ${server.url}\n`);
  if (server.adminKey) {
    process.stdout.write(
      `Admin API key (shown once, store it now): ${server.adminKey}\n` +
        "Set BUDGET_ADMIN_KEY to choose it yourself; create more with POST /v1/keys or `budget keys create`.\n",
    );
  }
} catch (err) {
  process.stderr.write(`budget: ${isBudgetError(err) ? err.message : String(err)}\n`);
  process.exit(isBudgetError(err, "invalid_input") ? 2 : 1);
}
