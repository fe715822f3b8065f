import { type BudgetEngine, BudgetError } from "@budget/core";
import type { AssistantConfig } from "../config/assistant-config.js";
import { ensureAssistantBudget } from "./assistant-budget.js";
import { type Assistant, createAssistant } from "./create-assistant.js";

/**
 * The assistant when `config.enabled` (else null): its own budget ensured, the model's key read
 * from the environment variable `apiKeyEnv` (an `invalid_input` error when unset).
 */
export async function startAssistant(
  engine: BudgetEngine,
  config: AssistantConfig,
  env: Record<string, string | undefined>,
): Promise<Assistant | null> {
  if (!config.enabled || config.url === undefined || config.model === undefined) return null;
  const apiKey = env[config.apiKeyEnv];
  if (!apiKey)
    throw new BudgetError("invalid_input", `assistant: environment variable ${config.apiKeyEnv} is not set`);
  await ensureAssistantBudget(engine, config);
  return createAssistant({ engine, config: { ...config, url: config.url, model: config.model }, apiKey });
}
