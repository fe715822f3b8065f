import { type BudgetEngine, BudgetError } from "@budget/core";
import { type AssistantAnswer, assistantConfigSchema, startAssistant } from "@budget/server";
import type { Settings } from "@budget/server/config";

/** Asks the assistant of a local configuration (loaded only by `budget assistant`). */
export async function askLocalAssistant(
  engine: BudgetEngine,
  config: Settings["config"] | undefined,
  question: string,
): Promise<AssistantAnswer> {
  const assistant = await startAssistant(
    engine,
    config?.assistant ?? assistantConfigSchema.parse({}),
    process.env,
  );
  if (!assistant)
    throw new BudgetError(
      "invalid_input",
      "the assistant is off: set assistant.enabled, url and model in the config",
    );
  return assistant.ask(question);
}
