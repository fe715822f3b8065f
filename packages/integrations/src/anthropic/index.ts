/**
 * `@budget/integrations/anthropic`: budget enforcement around an `@anthropic-ai/sdk` client.
 */
export { BudgetExceededError, isBudgetExceededError } from "@budget/calls";
export { startMockAnthropic } from "./mock-anthropic-server.js";
export {
  type AnthropicBudgetOptions,
  withAnthropicBudget,
  withAnthropicBudget as withBudget,
} from "./with-budget.js";
