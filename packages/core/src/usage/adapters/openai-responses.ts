import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
import type { Usage } from "../usage.js";
import { minus, n, optionalCountSchema, tokenCountSchema, unknownCounts } from "./normalized.js";

const responsesUsageSchema = z.object({
  input_tokens: tokenCountSchema,
  output_tokens: tokenCountSchema,
  total_tokens: optionalCountSchema,
  input_tokens_details: z
    .object({ cached_tokens: optionalCountSchema, cache_write_tokens: optionalCountSchema })
    .nullish(),
  output_tokens_details: z.object({ reasoning_tokens: optionalCountSchema }).nullish(),
});

/** Responses API usage fields understood (openai-node `ResponseUsage`, plus OpenRouter's cost). */
export const RESPONSES_KNOWN_FIELDS: ReadonlySet<string> = new Set([
  "input_tokens",
  "output_tokens",
  "total_tokens",
  "input_tokens_details.cached_tokens",
  "input_tokens_details.cache_write_tokens",
  "output_tokens_details.reasoning_tokens",
  "cost",
  "cost_details.upstream_inference_cost",
  "cost_details.upstream_inference_input_cost",
  "cost_details.upstream_inference_output_cost",
]);

/**
 * Responses API usage: `input_tokens` includes cache reads and writes (disjoint from each other);
 * `output_tokens` includes reasoning; `total_tokens` is their sum.
 */
export function fromResponsesUsage(raw: unknown): { partial: Partial<Usage>; unknown: string[] } {
  const u = validate(responsesUsageSchema, raw, "usage");
  if (u.total_tokens != null && u.total_tokens !== u.input_tokens + u.output_tokens) {
    throw new BudgetError(
      "invalid_input",
      `usage.total_tokens: ${u.total_tokens} ≠ input_tokens + output_tokens (${u.input_tokens + u.output_tokens})`,
      { field: "usage.total_tokens" },
    );
  }
  const cached = n(u.input_tokens_details?.cached_tokens);
  const cacheWrite = n(u.input_tokens_details?.cache_write_tokens);
  return {
    partial: {
      inputTokens: minus(u.input_tokens, cached + cacheWrite, "usage", "input_tokens_details"),
      cacheReadTokens: cached,
      cacheWriteTokens: cacheWrite,
      outputTokens: u.output_tokens,
      reasoningTokens: n(u.output_tokens_details?.reasoning_tokens),
    },
    unknown: unknownCounts(raw, RESPONSES_KNOWN_FIELDS, "usage"),
  };
}

const outputItemSchema = z.object({
  type: z.string(),
  action: z.object({ type: z.string() }).nullish(),
});

/**
 * Web searches of a Responses body: `web_search_call` items whose action is a `search` (an item
 * without an action predates actions and was a search). `open_page` and `find` read a page already
 * found: they are not searches and are not billed as one.
 */
export function countWebSearches(output: unknown): number {
  if (output == null) return 0;
  const items = validate(z.array(outputItemSchema), output, "response.output");
  return items.filter((i) => i.type === "web_search_call" && (i.action == null || i.action.type === "search"))
    .length;
}
