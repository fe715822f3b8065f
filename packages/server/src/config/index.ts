/**
 * `@budget/server/config`: the settings every process reads alike (server, CLI, demo), without
 * loading the HTTP server itself.
 */
export {
  amountBoundsOf,
  fallbackRates,
  type ServerConfig,
  type ServerConfigInput,
  serverConfigSchema,
} from "./config-schema.js";
export { loadConfig, parseConfig } from "./load-config.js";
export {
  type ClientFlags,
  loadSettings,
  resolveClientSettings,
  type Settings,
  serviceUrlOf,
} from "./settings.js";
export { describeTarget, type StoreTarget } from "./store-target.js";
