import { BudgetError } from "@budget/core";
import { type Provider, waitForUpdate } from "@pydantic/genai-prices";

/**
 * The provider data compiled into `@pydantic/genai-prices`. The package has no synchronous
 * accessor for its whole data set; `waitForUpdate()` resolves with the active data, which is the
 * bundled data until someone calls its `updatePrices`. Awaiting it once, when this module loads,
 * captures the bundled data before any such update (Budget never calls `updatePrices`).
 */
export const BUNDLED_PROVIDERS: readonly Provider[] = await loadProviders();

async function loadProviders(): Promise<readonly Provider[]> {
  const data = await waitForUpdate();
  if (!Array.isArray(data) || data.length === 0) {
    throw new BudgetError("price_source_failed", "the bundled genai-prices data is missing", {
      sourceId: "bundled",
    });
  }
  return data;
}
