import type { Store } from "@budget/core";
import { isBudgetError } from "@budget/core";
import { type ApiKeyRecord, createAuth, createStoreKeyStore } from "@budget/server";
import type { ApiKeyInfo, KeysApi } from "./backend.js";

/** API keys of a local database, in the database itself (hashes only; the secret is returned once). */
export function createLocalKeys(store: Store): KeysApi {
  const auth = createAuth(createStoreKeyStore(store));
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
