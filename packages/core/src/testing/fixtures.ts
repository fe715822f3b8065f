import { createCatalog } from "../catalog/create-catalog.js";
import type { PriceVersion } from "../price/price.js";

/** `test-model`: $1 per million input tokens and $2 per million output, so 1 input token = 1000 nano-USD. */
export const TEST_PRICES: PriceVersion[] = [
  {
    id: "test:test-model:1",
    provider: "test",
    model: "test-model",
    tokenRates: { input: "1", output: "2", cacheRead: "0.1", cacheWrite: "1.25" },
    unitRates: {},
    effectiveFrom: 0,
    effectiveTo: null,
    source: "manual",
  },
  {
    id: "test:test-mini:1",
    provider: "test",
    model: "test-mini",
    tokenRates: { input: "0.1", output: "0.2" },
    unitRates: {},
    effectiveFrom: 0,
    effectiveTo: null,
    source: "manual",
  },
];

/** A catalog of {@link TEST_PRICES}. */
export function createTestCatalog() {
  return createCatalog({ versions: TEST_PRICES });
}
