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
export { ENV_OVERRIDES, loadConfig, parseConfig } from "./load-config.js";
export {
  type ClientFlags,
  type ClientSettings,
  loadSettings,
  resolveClientSettings,
  type Settings,
  type SettingsFlags,
  serviceUrlOf,
} from "./settings.js";
export {
  type BackendTarget,
  describeTarget,
  redactUrl,
  type StoreTarget,
  storeTargetOf,
} from "./store-target.js";
