import { dimensionsSchema } from "@budget/core";
import { z } from "zod";

const count = z.number().int().nonnegative();

/** Usage as tools accept it: any subset of the normalized fields (absent = 0). */
export const usageArg = z
  .object({
    inputTokens: count.optional().describe("input tokens billed at the input rate, cache excluded"),
    cacheReadTokens: count.optional(),
    cacheWriteTokens: count.optional().describe("5-minute cache writes"),
    cacheWrite1hTokens: count.optional(),
    outputTokens: count.optional().describe("output tokens, reasoning included"),
    reasoningTokens: count.optional().describe("subset of outputTokens"),
    requests: count.optional(),
    webSearches: count.optional(),
  })
  .strict();

/** The estimate of a call not made yet: prompt tokens plus the maximum output tokens. */
export const estimateArg = usageArg.describe("estimate of the call: prompt tokens plus max output tokens");

export const dimensionsArg = dimensionsSchema.describe(
  "who and what the call belongs to: component, provider, model, project, user, run, worker, task...",
);

export const usdArg = z
  .string()
  .regex(/^\d+(\.\d+)?$/)
  .describe('USD decimal string such as "0.25"');

/** Drops absent fields, so a parsed tool argument is a `Partial<Usage>` under exactOptionalPropertyTypes. */
export function definedOnly<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
