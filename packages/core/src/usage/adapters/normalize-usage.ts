import { BudgetError } from "../../errors/budget-error.js";
import { type AiSdkUsageOptions, normalizeAiSdkUsage } from "./ai-sdk.js";
import { normalizeAnthropicUsage } from "./anthropic.js";
import { normalizeGeminiUsage } from "./gemini.js";
import type { NormalizedUsage } from "./normalized.js";
import { normalizeOpenAiUsage } from "./openai.js";
import { normalizeOtelGenAiUsage, type OtelGenAiUsageOptions } from "./otel-genai.js";

/** The raw usage shapes {@link normalizeUsage} understands. */
export const USAGE_SHAPES = ["openai", "anthropic", "gemini", "ai-sdk", "otel-genai"] as const;

/** One of {@link USAGE_SHAPES}. */
export type UsageShape = (typeof USAGE_SHAPES)[number];

/** Options passed to the shape's adapter (only `ai-sdk` and `otel-genai` take any). */
export type NormalizeUsageOptions = AiSdkUsageOptions & OtelGenAiUsageOptions;

/**
 * Normalizes a raw provider usage of the named shape (a response body, stream chunks or events, a
 * bare usage object, or span attributes) into `{ usage, model?, provider? }`.
 * Throws `BudgetError("invalid_input")` for an unknown shape, malformed counts, or inconsistent
 * numbers (e.g. more cached tokens than prompt tokens).
 *
 * @example
 * const { usage, model } = normalizeUsage("openai", completion);
 */
export function normalizeUsage(
  shape: UsageShape,
  raw: unknown,
  options: NormalizeUsageOptions = {},
): NormalizedUsage {
  switch (shape) {
    case "openai":
      return normalizeOpenAiUsage(raw);
    case "anthropic":
      return normalizeAnthropicUsage(raw);
    case "gemini":
      return normalizeGeminiUsage(raw);
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
