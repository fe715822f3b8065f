import type { AliasRule, BudgetEngineOptions } from "@budget/core";
import { loadServerModule } from "./server-module.js";

/**
 * The engine settings a local database shares with `budget serve`: when BUDGET_CONFIG names the
 * server's config file, its unknown-model policy and default reservation TTL apply here too, so
 * a call is priced (or refused) the same way locally and through the server.
 */
export async function localEngineOptions(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Pick<BudgetEngineOptions, "unknownModel" | "defaultTtlMs">> {
  if (!env.BUDGET_CONFIG) return {};
  const { loadConfig, fallbackRates } = await loadServerModule();
  const config = loadConfig(env.BUDGET_CONFIG, env);
  const rates = fallbackRates(config);
  return {
    defaultTtlMs: config.reservations.defaultTtlMs,
    unknownModel: rates ? { mode: "fallback_price", tokenRates: rates } : { mode: "deny" },
  };
}

/** The alias rules of the server config named by BUDGET_CONFIG, so names resolve as `budget serve` resolves them. */
export async function localAliasRules(env: NodeJS.ProcessEnv = process.env): Promise<AliasRule[]> {
  if (!env.BUDGET_CONFIG) return [];
  const { loadConfig } = await loadServerModule();
  return loadConfig(env.BUDGET_CONFIG, env).prices.aliasRules;
}
