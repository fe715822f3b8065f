/**
 * `@budget/integrations/ai-sdk`: budget enforcement as AI SDK 6 language-model middleware.
 */
export { BudgetExceededError, isBudgetExceededError } from "@budget/calls";
export { type AiSdkBudgetOptions, budgetMiddleware } from "./budget-middleware.js";
export { guardModelStream, type ModelStreamHooks } from "./guard-model-stream.js";
export { usageOfAiSdk } from "./usage-of.js";
