import { BudgetError } from "../../errors/budget-error.js";
import { type AiSdkUsageOptions, normalizeAiSdkUsage } from "./ai-sdk.js";
import { normalizeAnthropicUsage } from "./anthropic.js";
import { normalizeBedrockConverseUsage } from "./bedrock-converse.js";
import { normalizeGeminiUsage } from "./gemini.js";
import { normalizeGeminiInteractionsUsage } from "./gemini-interactions.js";
import type { NormalizedUsage } from "./normalized.js";
import { normalizeOpenAiUsage } from "./openai.js";
import { normalizeOtelGenAiUsage, type OtelGenAiUsageOptions } from "./otel-genai.js";

/** The raw usage shapes {@link normalizeUsage} understands. */
export const USAGE_SHAPES = [
  "openai",
  "anthropic",
  "gemini",
  "gemini-interactions",
  "bedrock-converse",
  "ai-sdk",
  "otel-genai",
] as const;

/** One of {@link USAGE_SHAPES}. */
export type UsageShape = (typeof USAGE_SHAPES)[number];

/** Options passed to the shape's adapter: the call's `provider` and `unknownFields` for all, and the `ai-sdk` / `otel-genai` ones. */
export type NormalizeUsageOptions = AiSdkUsageOptions & OtelGenAiUsageOptions;

/**
 * Normalizes a raw provider usage of the named shape (a response body, stream chunks or events, a
 * bare usage object, or span attributes) into `{ usage, model?, provider? }`.
 * Throws `BudgetError("invalid_input")` for an unknown shape, malformed counts, an object with no
 * counts, a non-zero field the adapter does not understand (unless `unknownFields: "tag"`), or
 * inconsistent numbers (e.g. more cached tokens than prompt tokens, a total that is not the sum).
 * The result's `provider` is `options.provider`: pass the call's (see `providerOfCall`).
 *
 * @example
 * const { usage, model } = normalizeUsage("openai", completion, { provider: "deepseek" });
 */
export function normalizeUsage(
  shape: UsageShape,
  raw: unknown,
  options: NormalizeUsageOptions = {},
): NormalizedUsage {
  switch (shape) {
    case "openai":
      return normalizeOpenAiUsage(raw, options);
    case "anthropic":
      return normalizeAnthropicUsage(raw, options);
    case "gemini":
      return normalizeGeminiUsage(raw, options);
    case "gemini-interactions":
      return normalizeGeminiInteractionsUsage(raw, options);
    case "bedrock-converse":
      return normalizeBedrockConverseUsage(raw, options);
    case "ai-sdk":
      return normalizeAiSdkUsage(raw, options);
    case "otel-genai":
      return normalizeOtelGenAiUsage(raw, options);
    default:
      throw new BudgetError("invalid_input", `unknown usage shape "${String(shape)}"`, {
        field: "shape",
        allowed: USAGE_SHAPES,
      });
  }
}
