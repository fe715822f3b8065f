import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { optionalCountSchema } from "./normalized.js";

/** One entry of `usage.iterations` (anthropic-sdk-typescript `BetaIterationsUsage`). */
export const iterationSchema = z.object({
  type: z.string(),
  model: z.string().nullish(),
  input_tokens: optionalCountSchema,
  output_tokens: optionalCountSchema,
  cache_creation_input_tokens: optionalCountSchema,
  cache_read_input_tokens: optionalCountSchema,
  cache_creation: z
    .object({
      ephemeral_5m_input_tokens: optionalCountSchema,
      ephemeral_1h_input_tokens: optionalCountSchema,
    })
    .nullish(),
});
export type Iteration = z.output<typeof iterationSchema>;

/** Iteration types the Messages API documents: sampling, compaction, advisor sub-inference, fallback. */
const ITERATION_TYPES = new Set(["message", "compaction", "advisor_message", "fallback_message"]);

/** Fields of an iteration that are counts (summed per model). */
export const ITERATION_COUNT_FIELDS = [
  "input_tokens",
  "output_tokens",
  "cache_creation_input_tokens",
  "cache_read_input_tokens",
] as const;

/**
 * Groups iterations by the model that was billed for them: an iteration without `model` ran on
 * the message's model. Unknown iteration types are rejected: their billing is not documented.
 */
export function groupIterations(
  iterations: readonly Iteration[],
  model: string | null | undefined,
  what: string,
) {
  const groups = new Map<string, Iteration[]>();
  iterations.forEach((it, i) => {
    if (!ITERATION_TYPES.has(it.type)) {
      throw new BudgetError(
        "invalid_input",
        `${what}.iterations.${i}.type: unknown iteration type "${it.type}"`,
        {
          field: `${what}.iterations.${i}.type`,
        },
      );
    }
    const key = it.model ?? model ?? "";
    groups.set(key, [...(groups.get(key) ?? []), it]);
  });
  return groups;
}

/**
 * The top-level counts are those of the `message` iterations alone (compaction and advisor steps
 * are reported only in `iterations`): a top level that disagrees with them is inconsistent.
 */
export function checkTopLevel(
  top: Partial<Record<(typeof ITERATION_COUNT_FIELDS)[number], number | null | undefined>>,
  iterations: readonly Iteration[],
  what: string,
): void {
  const messages = iterations.filter((it) => it.type === "message");
  // No recorded fallback body yet: which hop the top level then counts is not verified, so no check.
  if (messages.length === 0 || iterations.some((it) => it.type === "fallback_message")) return;
  for (const field of ITERATION_COUNT_FIELDS) {
    const sum = messages.reduce((s, it) => s + (it[field] ?? 0), 0);
    const value = top[field];
    if (value != null && value !== sum) {
      throw new BudgetError(
        "invalid_input",
        `${what}.${field}: ${value} ≠ the sum over its "message" iterations (${sum})`,
        { field: `${what}.${field}` },
      );
    }
  }
}
