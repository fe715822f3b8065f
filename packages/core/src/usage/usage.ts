import { z } from "zod";
import { inputSideTokens, totalTokens } from "./token-totals.js";

/**
 * What one LLM call consumed, normalized. Every token field is a separate billing bucket, so
 * they add up without double counting; `reasoningTokens` is the one exception: a subset of
 * `outputTokens`, reported separately and priced at a reasoning rate only where one exists.
 */
export interface Usage {
  /** Text input billed at the input rate: cache reads, cache writes and audio excluded. */
  inputTokens: number;
  cacheReadTokens: number;
  /** 5-minute cache writes (the default cache write). */
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  /** Output billed at the output rate, reasoning included, audio excluded. */
  outputTokens: number;
  /** Subset of `outputTokens`. */
  reasoningTokens: number;
  inputAudioTokens: number;
  cacheAudioReadTokens: number;
  outputAudioTokens: number;
  inputImages: number;
  outputImages: number;
  requests: number;
  webSearches: number;
  /**
   * Image output billed per token at its own rate (Gemini image models: `IMAGE` candidates tokens),
   * disjoint from `outputTokens`; never priced at the text rate.
   */
  outputImageTokens: number;
}

const count = z
  .number()
  .int("must be an integer")
  .nonnegative("must not be negative")
  .max(Number.MAX_SAFE_INTEGER);

/** Zod schema of a (partial) usage input; absent fields are zero, `requests` defaults to 1. */
export const usageInputSchema = z
  .object({
    inputTokens: count.default(0),
    cacheReadTokens: count.default(0),
    cacheWriteTokens: count.default(0),
    cacheWrite1hTokens: count.default(0),
    outputTokens: count.default(0),
    reasoningTokens: count.default(0),
    inputAudioTokens: count.default(0),
    cacheAudioReadTokens: count.default(0),
    outputAudioTokens: count.default(0),
    inputImages: count.default(0),
    outputImages: count.default(0),
    requests: count.default(1),
    webSearches: count.default(0),
    outputImageTokens: count.default(0),
  })
  .strict()
  .refine((u) => u.reasoningTokens <= u.outputTokens, {
    message: "reasoningTokens is a subset of outputTokens and cannot exceed it",
    path: ["reasoningTokens"],
  });

/** The usage fields, in a fixed order (storage columns, CSV, sums). */
export const USAGE_FIELDS = [
  "inputTokens",
  "cacheReadTokens",
  "cacheWriteTokens",
  "cacheWrite1hTokens",
  "outputTokens",
  "reasoningTokens",
  "inputAudioTokens",
  "cacheAudioReadTokens",
  "outputAudioTokens",
  "inputImages",
  "outputImages",
  "requests",
  "webSearches",
  // Appended, not grouped with the token fields: the order is that of storage columns and CSV.
  "outputImageTokens",
] as const satisfies readonly (keyof Usage)[];

/** A usage with every field zero (and zero requests). */
export function emptyUsage(): Usage {
  return {
    inputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    inputAudioTokens: 0,
    cacheAudioReadTokens: 0,
    outputAudioTokens: 0,
    inputImages: 0,
    outputImages: 0,
    requests: 0,
    webSearches: 0,
    outputImageTokens: 0,
  };
}

/** Completes a partial usage: absent fields are zero, `requests` defaults to 1. */
export function makeUsage(partial: Partial<Usage> = {}): Usage {
  return { ...emptyUsage(), requests: 1, ...partial };
}

/** Field-by-field sum. */
export function addUsage(a: Usage, b: Usage): Usage {
  const out = emptyUsage();
  for (const f of USAGE_FIELDS) out[f] = a[f] + b[f];
  return out;
}

export { inputSideTokens, totalTokens };
