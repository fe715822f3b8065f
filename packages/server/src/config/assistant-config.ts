import { z } from "zod";

/**
 * The optional assistant (off by default): an OpenAI-compatible chat model that answers questions
 * about spend by calling Budget's read API as tools. Its own calls are reserved and committed on
 * Budget's own engine under `component: budget-assistant`.
 */
export const assistantConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Base URL of an OpenAI-compatible API (`…/v1`); `/chat/completions` is appended. */
    url: z.string().url().optional(),
    model: z.string().min(1).max(256).optional(),
    /** Provider label of the model's calls (prices and usage semantics); default from the URL, else `openai`. */
    provider: z.string().min(1).max(64).optional(),
    /** Name of the environment variable holding the model's API key (never sent to the model). */
    apiKeyEnv: z.string().min(1).default("BUDGET_ASSISTANT_API_KEY"),
    /** Most model calls per question (tool rounds included). */
    maxSteps: z.number().int().min(1).max(20).default(6),
    /** Output tokens reserved (and asked for) per model call. */
    maxOutputTokens: z.number().int().min(16).max(32_000).default(1024),
    /** The assistant's own budget, created on start when missing: a daily hard limit in USD. */
    dailyCostUsd: z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .default("1"),
  })
  .strict()
  .refine((c) => !c.enabled || (c.url !== undefined && c.model !== undefined), {
    message: "an enabled assistant needs url and model",
  });

/** The assistant's settings (see {@link assistantConfigSchema}). */
export type AssistantConfig = z.output<typeof assistantConfigSchema>;

/** The component the assistant's own model calls are counted under. */
export const ASSISTANT_COMPONENT = "budget-assistant";
/** The id of the budget created for the assistant's own calls. */
export const ASSISTANT_BUDGET_ID = "budget-assistant";
