import type { BudgetEngine } from "../engine/engine.js";

/**
 * An organisation's many budgets, as the Budgets page's tests and bench seed them: `count`
 * per-worker budgets `worker-0…` (scope `worker: w0…`), each with one daily limit of 1,000
 * tokens, `hard_limit` and `warn` in turn. Stored one by one through the engine, as a person or a
 * script would.
 */
export async function seedWorkerBudgets(
  engine: Pick<BudgetEngine, "upsertBudget">,
  count: number,
): Promise<void> {
  for (let i = 0; i < count; i++)
    await engine.upsertBudget({
      id: `worker-${i}`,
      scope: { worker: `w${i}` },
      limits: [
        { id: "day", window: { type: "day" }, tokens: 1000, enforcement: i % 2 ? "warn" : "hard_limit" },
      ],
    });
}
