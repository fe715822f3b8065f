/**
 * `@budget/integrations/openai`: budget enforcement around an `openai` client.
 */
export { BudgetExceededError, isBudgetExceededError } from "@budget/calls";
export { type OpenAIBudgetOptions, withBudget, withBudget as withOpenAIBudget } from "./with-budget.js";
