/**
 * The names of the remote price feeds, without the feeds: the server's config schema validates
 * `prices.sources[].type` with them and stays light to import (`@budget/prices/source-types`: a
 * `budget status` reads the config without loading the updater or the bundled prices).
 * `source-registry.ts` maps each name to its feed; the compiler keeps the two lists equal.
 */
export const REMOTE_PRICE_SOURCE_TYPES = ["litellm", "openrouter", "genai-prices"] as const;

/** The name of a remote price feed (`litellm`, `openrouter`, `genai-prices`). */
export type RemotePriceSourceType = (typeof REMOTE_PRICE_SOURCE_TYPES)[number];
