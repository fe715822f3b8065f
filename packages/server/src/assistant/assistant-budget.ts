import type { BudgetEngine } from "@budget/core";
import {
  ASSISTANT_BUDGET_ID,
  ASSISTANT_COMPONENT,
  type AssistantConfig,
} from "../config/assistant-config.js";

/**
 * The assistant's own budget: `component: budget-assistant`, a daily hard limit of
 * `dailyCostUsd`. Created when missing; an existing one (edited by an operator) is left as it is.
 */
export async function ensureAssistantBudget(engine: BudgetEngine, config: AssistantConfig): Promise<void> {
  if (await engine.getBudget(ASSISTANT_BUDGET_ID)) return;
  await engine.upsertBudget({
    id: ASSISTANT_BUDGET_ID,
    name: "Budget assistant",
    scope: { component: ASSISTANT_COMPONENT },
    limits: [{ id: "daily", window: { type: "day" }, cost: config.dailyCostUsd, enforcement: "hard_limit" }],
  });
}
