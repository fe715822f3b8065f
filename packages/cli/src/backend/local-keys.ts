import { isBudgetError } from "@budget/core";
import { type ApiKeyRecord, createAuth, createFileKeyStore } from "@budget/server";
import type { ApiKeyInfo, KeysApi } from "./backend.js";

/** Where a local database's API keys live: BUDGET_KEYS_FILE, or beside it, as `budget serve` reads them. */
export function keysFileOf(dbFile: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.BUDGET_KEYS_FILE ?? `${dbFile}.keys.json`;
}

/** API keys of a local database, in its key file (hashes only; the secret is returned once). */
export function createLocalKeys(dbFile: string): KeysApi {
  const auth = createAuth(createFileKeyStore(keysFileOf(dbFile)));
  const shown = ({ hash: _hash, ...rest }: ApiKeyRecord): ApiKeyInfo => ({ ...rest });
  return {
    async create(input) {
      const { key, record } = await auth.createKey({
        name: input.name,
        role: input.role as "reader" | "writer" | "admin",
        components: input.components,
        projects: input.projects,
      });
      return { key: shown(record), secret: key };
    },
    list: async () => (await auth.listKeys()).map(shown),
    async revoke(id) {
      try {
        await auth.revokeKey(id);
        return true;
      } catch (err) {
        if (isBudgetError(err, "not_found")) return false;
        throw err;
      }
    },
  };
}
