import type { Command } from "@commander-js/extra-typings";
import { loadServerModule } from "../backend/server-module.js";
import type { CliRunner } from "../context.js";
import { usageError } from "../exit-codes.js";
import { parseCount } from "../parse/values.js";

/** `budget serve`: the HTTP API and dashboard, over the local database (or the configured store). */
export function registerServe(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  program
    .command("serve")
    .description("run the HTTP API and dashboard (config file + BUDGET_* environment; flags win)")
    .option("--config <file>", "a JSON or YAML config file (env BUDGET_CONFIG)")
    .option("--host <host>", "interface to listen on (default 127.0.0.1)")
    .option("--port <port>", "port (default 4100; 0 picks a free one)", parseCount)
    .action((opts) =>
      runner.run(async ({ ui, globals }) => {
        if (globals.url) throw usageError("serve runs a server: --url does not apply (use --db)");
        // The server reads these overrides over its config file; flags are the most specific.
        if (globals.db) process.env.BUDGET_DB = globals.db;
        if (opts.host) process.env.BUDGET_HOST = opts.host;
        if (opts.port !== undefined) process.env.BUDGET_PORT = String(opts.port);
        const { startServer } = await loadServerModule();
        const configFile = opts.config ?? process.env.BUDGET_CONFIG;
        const server = await startServer({ configFile, handleSignals: true });
        if (ui.json) ui.printJson({ url: server.url, adminKey: server.adminKey });
        else {
          ui.line(`Budget listening on ${server.url}`);
          if (server.adminKey)
            ui.line(`Admin API key (shown once, store it now): ${ui.colors.bold(server.adminKey)}`);
        }
        // Runs until SIGINT/SIGTERM: the server's signal handler closes it and exits.
        await new Promise(() => {});
      }),
    );
}
