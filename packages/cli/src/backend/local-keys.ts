import { type ApiKeyRecord, createApiKey, isBudgetError, revokeApiKey, type Store } from "@budget/core";
import type { ApiKeyInfo, KeysApi } from "./backend.js";

/** API keys of a local database, in the database itself (hashes only; the secret is returned once). */
export function createLocalKeys(store: Store): KeysApi {
  const shown = ({ hash: _hash, ...rest }: ApiKeyRecord): ApiKeyInfo => ({ ...rest });
  return {
    async create(input) {
      const { key, record } = await createApiKey(
        store,
        {
          name: input.name,
          role: input.role as ApiKeyRecord["role"],
          components: input.components,
          projects: input.projects,
          dimensions: input.dimensions as ApiKeyRecord["dimensions"],
        },
        Date.now(),
      );
      return { key: shown(record), secret: key };
    },
    list: async () => (await store.listApiKeys()).map(shown),
    async revoke(id) {
      try {
        await revokeApiKey(store, id, Date.now());
        return true;
      } catch (err) {
        if (isBudgetError(err, "not_found")) return false;
        throw err;
      }
    },
  };
}
