import type { BudgetEngineOptions } from "@budget/core";
import { loadServerModule } from "./server-module.js";

/**
 * The engine settings a local database shares with `budget serve`: when BUDGET_CONFIG names the
 * server's config file, its unknown-model policy and default reservation TTL apply here too, so
 * a call is priced (or refused) the same way locally and through the server.
 */
export async function localEngineOptions(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Pick<BudgetEngineOptions, "unknownModel" | "defaultTtlMs" | "amountBounds">> {
  if (!env.BUDGET_CONFIG) return {};
  const { loadConfig, fallbackRates, amountBoundsOf } = await loadServerModule();
  const config = loadConfig(env.BUDGET_CONFIG, env);
  const rates = fallbackRates(config);
  return {
    defaultTtlMs: config.reservations.defaultTtlMs,
    amountBounds: amountBoundsOf(config),
    unknownModel: rates ? { mode: "fallback_price", tokenRates: rates } : { mode: "deny" },
  };
}
