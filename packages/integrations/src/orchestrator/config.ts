import { BudgetError, positiveIntSchema, tryParseDecimal } from "@budget/core";
import { z } from "zod";

const positiveTokens = positiveIntSchema;

const positiveUsd = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a USD decimal string such as "2.50"')
  .refine((s) => (tryParseDecimal(s)?.units ?? 0n) > 0n, "must be greater than 0");

/** Zod schema of an orchestration run's budget configuration. */
export const runConfigSchema = z
  .object({
    /** Tokens one task may use over the whole run (every attempt, every worker). */
    maxTokensPerTask: positiveTokens.optional(),
    /** Tokens one worker may use over the whole run. */
    maxTokensPerWorker: positiveTokens.optional(),
    /** The whole run's cap: tokens, USD (a decimal string), or both. */
    totalBudgetLimit: z
      .object({ tokens: positiveTokens.optional(), costUsd: positiveUsd.optional() })
      .strict()
      .refine((l) => l.tokens !== undefined || l.costUsd !== undefined, {
        message: "needs tokens, costUsd or both",
      }),
    /** Share of a limit (0–1] at which a warning is raised. */
    budgetWarningThreshold: z
      .number()
      .gt(0, "must be greater than 0")
      .max(1, "must be at most 1 (a share of the limit)")
      .default(0.8),
    /** `strict`: a limit denies work (hard_limit); `soft`: a limit only warns (warn). */
    budgetEnforcementMode: z.enum(["strict", "soft"]).default("strict"),
    /** When set, calls to any other model are refused before they reach the budget service. */
    allowedModels: z.array(z.string().min(1).max(256)).min(1).max(100).optional(),
  })
  .strict();

/** A run configuration as operators write it (defaults unapplied). */
export type RunConfigInput = z.input<typeof runConfigSchema>;
/** A validated run configuration. */
export type RunConfig = z.output<typeof runConfigSchema>;

/**
 * Validates a run configuration. Throws `BudgetError("invalid_input")` whose message names the
 * first offending field (`runConfig.totalBudgetLimit.costUsd: …`) and whose details list every issue.
 *
 * @example
 * parseRunConfig({ totalBudgetLimit: { tokens: 100_000 }, maxTokensPerWorker: 40_000 });
 */
export function parseRunConfig(input: unknown): RunConfig {
  const result = runConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    field: ["runConfig", ...i.path.map(String)].join("."),
    message: i.message,
  }));
  const text = issues.map((i) => `${i.field}: ${i.message}`).join("; ");
  throw new BudgetError("invalid_input", text, { issues, field: issues[0]?.field });
}

/** The run configuration as JSON Schema (draft 2020-12), for editors and other languages. */
export const runConfigJsonSchema: Record<string, unknown> = z.toJSONSchema(runConfigSchema, {
  io: "input",
});
