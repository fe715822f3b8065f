import { usageError } from "../exit-codes.js";
import type { Backend } from "./backend.js";

/** Where the CLI points, from flags and environment. */
export interface BackendTarget {
  db?: string;
  url?: string;
  apiKey?: string;
}

/** The default database file, relative to the working directory (as `budget serve` uses it). */
export const DEFAULT_DB_FILE = "./data/budget.db";

/**
 * Opens the remote backend when `--url` (or BUDGET_URL) is set, else the local database
 * (`--db`, BUDGET_DB, or ./data/budget.db).
 */
export async function openBackend(
  target: BackendTarget,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Backend> {
  const url = target.url ?? env.BUDGET_URL;
  if (url && target.db)
    throw usageError("give either --url (a remote service) or --db (a local file), not both");
  if (url !== undefined) {
    if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url))
      throw usageError(
        `--url ${JSON.stringify(url)}: give the server's http(s) URL, e.g. http://127.0.0.1:4100`,
      );
    const apiKey = target.apiKey ?? env.BUDGET_API_KEY;
    const { openRemoteBackend } = await import("./remote-backend.js");
    return openRemoteBackend({ url, ...(apiKey ? { apiKey } : {}) });
  }
  // Loaded on demand: the SQL store and the bundled prices are the slow part of starting up.
  const { openLocalBackend } = await import("./local-backend.js");
  return openLocalBackend({ file: target.db ?? env.BUDGET_DB ?? DEFAULT_DB_FILE });
}
