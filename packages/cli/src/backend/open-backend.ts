import { type ClientFlags, describeTarget, resolveClientSettings } from "@budget/server/config";
import type { Backend } from "./backend.js";

/** Where the CLI points: the global flags (`--url`, `--db`, `--config`, `--api-key`). */
export type BackendFlags = ClientFlags;

/** The default database file, relative to the working directory (as `budget serve` uses it). */
export const DEFAULT_DB_FILE = "./data/budget.db";

/**
 * Opens what the settings name, resolved as the server resolves them (`resolveClientSettings`):
 * `--url` or `--db`, then `BUDGET_URL` (the remote service), then the server's own store —
 * `BUDGET_DATABASE_URL` (PostgreSQL), `BUDGET_DB`, the config file's `database`, ./data/budget.db.
 */
export async function openBackend(
  flags: BackendFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Backend> {
  const settings = resolveClientSettings(flags, env);
  const { target } = settings;
  const where = { description: describeTarget(target), from: settings.from };
  if (target.kind === "remote") {
    const { openRemoteBackend } = await import("./remote-backend.js");
    return openRemoteBackend({
      url: target.url,
      ...(settings.apiKey ? { apiKey: settings.apiKey } : {}),
      ...where,
    });
  }
  // Loaded on demand: the SQL store and the bundled prices are the slow part of starting up.
  const { openLocalBackend } = await import("./local-backend.js");
  return openLocalBackend({ store: target, settings: settings.local, ...where });
}
