import type { Store } from "@budget/core";
import { isBudgetError } from "@budget/core";
import type { ApiKeyRecord, Auth } from "@budget/server";
import type { ApiKeyInfo, KeysApi } from "./backend.js";
import { loadServerModule } from "./server-module.js";

/**
 * API keys of a local database, in the database itself (hashes only; the secret is returned once).
 * The server's key handling is loaded on the first key operation, not when the database opens.
 */
export function createLocalKeys(store: Store): KeysApi {
  let auth: Promise<Auth> | undefined;
  const keys = (): Promise<Auth> => {
    auth ??= loadServerModule().then((server) => server.createAuth(server.createStoreKeyStore(store)));
    return auth;
  };
  const shown = ({ hash: _hash, ...rest }: ApiKeyRecord): ApiKeyInfo => ({ ...rest });
  return {
    async create(input) {
      const { key, record } = await (await keys()).createKey({
        name: input.name,
        role: input.role as ApiKeyRecord["role"],
        components: input.components,
        projects: input.projects,
        dimensions: input.dimensions as ApiKeyRecord["dimensions"],
      });
      return { key: shown(record), secret: key };
    },
    list: async () => (await (await keys()).listKeys()).map(shown),
    async revoke(id) {
      try {
        await (await keys()).revokeKey(id);
        return true;
      } catch (err) {
        if (isBudgetError(err, "not_found")) return false;
        throw err;
      }
    },
  };
}
