import { isBudgetError } from "@budget/core";
import { startServer } from "./start-server.js";

/**
 * `npm start`: runs the service with the config file named by `BUDGET_CONFIG` (or the first
 * argument), environment overrides (`BUDGET_HOST`, `BUDGET_PORT`, `BUDGET_DB`, …) and defaults
 * (127.0.0.1:4100, ./data/budget.db). Stops gracefully on SIGTERM and SIGINT.
 */
try {
  const server = await startServer({
    configFile: process.env.BUDGET_CONFIG ?? process.argv[2],
    handleSignals: true,
  });
  process.stdout.write(`Budget listening on ${server.url} (store: ${server.storeDescription})\n`);
  if (server.adminKey) {
    process.stdout.write(
      `Admin API key (shown once, store it now): ${server.adminKey}\n` +
        "Set BUDGET_ADMIN_KEY to choose it yourself; create more with POST /v1/keys or `budget keys create`.\n",
    );
  }
} catch (err) {
  process.stderr.write(`budget: ${isBudgetError(err) ? err.message : String(err)}\n`);
  process.exit(isBudgetError(err, "invalid_input") ? 2 : isBudgetError(err, "store_unavailable") ? 5 : 1);
}
