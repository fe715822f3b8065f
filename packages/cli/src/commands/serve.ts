import type { Command } from "@commander-js/extra-typings";
import type { CliRunner } from "../context.js";
import { usageError } from "../exit-codes.js";
import { parseCount } from "../parse/values.js";

/** `budget serve`: the HTTP API and dashboard, over the store the settings name. */
export function registerServe(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  program
    .command("serve")
    .description("run the HTTP API and dashboard (config file + BUDGET_* environment; flags win)")
    .option("--host <host>", "interface to listen on (env BUDGET_HOST, default 127.0.0.1)")
    .option("--port <port>", "port (env BUDGET_PORT, default 4100; 0 picks a free one)", parseCount)
    .action((opts) =>
      runner.run(async ({ ui, globals }) => {
        if (globals.url) throw usageError("serve runs a server: --url does not apply (use --db)");
        const { loadSettings } = await import("@budget/server/config");
        // The one resolution every process uses: flags, then BUDGET_* variables, then the file.
        const settings = loadSettings({
          config: globals.config,
          db: globals.db,
          host: opts.host,
          port: opts.port,
        });
        if (globals.verbose) ui.note(`store chosen by ${settings.storeFrom}`);
        // The server is heavy: loaded by this command only.
        const { startServer } = await import("@budget/server");
        const server = await startServer({ config: settings.config, handleSignals: true });
        if (ui.json)
          ui.printJson({ url: server.url, store: server.storeDescription, adminKey: server.adminKey });
        else {
          ui.line(`Budget listening on ${server.url} (store: ${server.storeDescription})`);
          if (server.adminKey)
            ui.line(`Admin API key (shown once, store it now): ${ui.colors.bold(server.adminKey)}`);
        }
        // Runs until SIGINT/SIGTERM: the server's signal handler closes it and exits.
        await new Promise(() => {});
      }),
    );
}
