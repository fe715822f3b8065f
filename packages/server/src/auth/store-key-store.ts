import type { Store } from "@budget/core";
import type { KeyStore } from "./api-keys.js";

/** API keys in the store's database, so every instance sharing it sees the same keys. */
export function createStoreKeyStore(store: Store): KeyStore {
  const watch = store.watchApiKeys?.bind(store);
  return {
    list: () => store.listApiKeys(),
    findByHash: (hash) => store.getApiKeyByHash(hash),
    put: (key) => store.putApiKey(key),
    ...(watch ? { watch } : {}),
  };
}
