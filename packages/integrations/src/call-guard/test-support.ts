import {
  type BudgetEngine,
  type BudgetInput,
  createBudgetEngine,
  createCatalog,
  createMemoryStore,
} from "@budget/core";
import { TEST_PRICES } from "@budget/core/testing";

type LimitFields = Omit<BudgetInput["limits"][number], "id" | "window">;

/**
 * The test catalog (`test-model`, `test-mini`) with an explicit alias rule that prices the test
 * models under whichever provider a wrapper labels the call with (`openai`, `anthropic`, …), as a
 * deployment would declare for a proxy.
 */
export function createWrapperTestCatalog() {
  return createCatalog({
    versions: TEST_PRICES,
    aliasRules: [{ model: "test-*", to: { provider: "test" } }],
  });
}

/**
 * An in-process engine over a memory store and the test catalog (`test-model`: $1/M input,
 * $2/M output; `test-mini`: $0.1/M, $0.2/M), with one lifetime budget `team` over everything.
 */
export async function createTestEngine(limit: LimitFields = { cost: "1" }): Promise<BudgetEngine> {
  const engine = createBudgetEngine({
    store: createMemoryStore(),
    catalog: createWrapperTestCatalog(),
    budgetCacheMs: 0,
  });
  await engine.upsertBudget({ id: "team", limits: [{ id: "all", window: { type: "lifetime" }, ...limit }] });
  return engine;
}

/** Every usage event in the ledger, oldest first. */
export async function ledger(engine: BudgetEngine) {
  return (await engine.store.listEvents({})).events;
}

/** The `team` budget's reserved and used amounts. */
export async function teamStatus(engine: BudgetEngine) {
  const [s] = await engine.status({ budgetId: "team" });
  if (!s) throw new Error("no status for team");
  return s;
}

/** Cost of `test-model` usage in nano-USD: 1,000 per input token, 2,000 per output token. */
export function testModelCost(inputTokens: number, outputTokens: number): bigint {
  return BigInt(inputTokens) * 1000n + BigInt(outputTokens) * 2000n;
}
