import type { BudgetEngineOptions } from "@budget/core";
import { amountBoundsOf, fallbackRates, type ServerConfig } from "@budget/server/config";

/**
 * The engine settings a local database shares with `budget serve`: with a config file (`--config`
 * or BUDGET_CONFIG), its unknown-model policy, default reservation TTL and amount bounds apply
 * here too, so a call is priced (or refused) the same way locally and through the server.
 */
export function localEngineOptions(
  config: ServerConfig | undefined,
): Pick<BudgetEngineOptions, "unknownModel" | "defaultTtlMs" | "amountBounds"> {
  if (!config) return {};
  const rates = fallbackRates(config);
  return {
    defaultTtlMs: config.reservations.defaultTtlMs,
    unknownModel: rates ? { mode: "fallback_price", tokenRates: rates } : { mode: "deny" },
    amountBounds: amountBoundsOf(config),
  };
}
