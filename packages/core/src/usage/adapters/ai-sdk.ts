import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
import type { Usage } from "../usage.js";
import { isRecord, minus, type NormalizedUsage, n, normalized, optionalCountSchema } from "./normalized.js";

/** AI SDK 5 `LanguageModelUsage` / provider `LanguageModelV2Usage`: flat counts. */
const v2Schema = z.object({
  inputTokens: optionalCountSchema,
  outputTokens: optionalCountSchema,
  totalTokens: optionalCountSchema,
  reasoningTokens: optionalCountSchema,
  cachedInputTokens: optionalCountSchema,
});

/** AI SDK 6 provider `LanguageModelV3Usage`: nested input and output breakdowns. */
const v3Schema = z.object({
  inputTokens: z.object({
    total: optionalCountSchema,
    noCache: optionalCountSchema,
    cacheRead: optionalCountSchema,
    cacheWrite: optionalCountSchema,
  }),
  outputTokens: z.object({
    total: optionalCountSchema,
    text: optionalCountSchema,
    reasoning: optionalCountSchema,
  }),
});
type V3 = z.output<typeof v3Schema>;

/** AI SDK 6 `LanguageModelUsage` (what generateText/streamText return): totals plus detail objects. */
const v6Schema = z.object({
  inputTokens: optionalCountSchema,
  outputTokens: optionalCountSchema,
  inputTokenDetails: z
    .object({
      noCacheTokens: optionalCountSchema,
      cacheReadTokens: optionalCountSchema,
      cacheWriteTokens: optionalCountSchema,
    })
    .nullish(),
  outputTokenDetails: z
    .object({ textTokens: optionalCountSchema, reasoningTokens: optionalCountSchema })
    .nullish(),
});

/** Options for {@link normalizeAiSdkUsage}. */
export interface AiSdkUsageOptions {
  /**
   * Whether a v2 (AI SDK 5) `inputTokens` includes `cachedInputTokens` (default true, as OpenAI and
   * Google providers report it). AI SDK 5's Anthropic and Bedrock providers report input without
   * cache reads: pass false for those. Ignored for v3 and AI SDK 6 shapes, which are explicit.
   */
  inputIncludesCache?: boolean;
}

/** Which AI SDK usage shape `raw` is, detected by shape. */
export type AiSdkUsageVersion = "v2" | "v3" | "v6";

/** Detects the AI SDK usage shape: nested input object → v3; detail objects → v6; else v2. */
export function detectAiSdkUsageVersion(raw: unknown): AiSdkUsageVersion {
  if (!isRecord(raw)) throw new BudgetError("invalid_input", "ai-sdk usage: expected an object");
  if (isRecord(raw.inputTokens) || isRecord(raw.outputTokens)) return "v3";
  if ("inputTokenDetails" in raw || "outputTokenDetails" in raw) return "v6";
  return "v2";
}

/** v3 buckets: `total` includes cache reads and writes; output `total` includes reasoning. */
function fromV3(u: V3, what: string): Partial<Usage> {
  const cacheRead = n(u.inputTokens.cacheRead);
  const cacheWrite = n(u.inputTokens.cacheWrite);
  const { total, noCache } = u.inputTokens;
  let inputTokens = noCache ?? 0;
  if (total !== undefined && total !== null) {
    inputTokens = minus(total, cacheRead + cacheWrite, what, "inputTokens.total");
    if (noCache !== undefined && noCache !== null && noCache !== inputTokens) {
      throw new BudgetError(
        "invalid_input",
        `${what}.inputTokens.noCache: ${noCache} ≠ total - cache (${inputTokens})`,
        {
          field: `${what}.inputTokens.noCache`,
        },
      );
    }
  }
  const reasoning = n(u.outputTokens.reasoning);
  const outputTokens = u.outputTokens.total ?? n(u.outputTokens.text) + reasoning;
  return {
    inputTokens,
    cacheReadTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens,
    reasoningTokens: reasoning,
  };
}

/**
 * v2 buckets. Output includes reasoning, except where a provider (AI SDK 5's Google) reported
 * reasoning on top: then `totalTokens` exceeds input + output by at least the reasoning count.
 */
function fromV2(raw: unknown, includesCache: boolean): Partial<Usage> {
  const u = validate(v2Schema, raw, "usage");
  const input = n(u.inputTokens);
  const cached = n(u.cachedInputTokens);
  const output = n(u.outputTokens);
  const reasoning = n(u.reasoningTokens);
  const total = u.totalTokens;
  const reasoningOnTop =
    reasoning > 0 && total !== null && total !== undefined && total - input - output >= reasoning;
  return {
    inputTokens: includesCache ? minus(input, cached, "usage", "cachedInputTokens") : input,
    cacheReadTokens: cached,
    outputTokens: reasoningOnTop ? output + reasoning : output,
    reasoningTokens: reasoning,
  };
}

/**
 * Normalizes a Vercel AI SDK usage object, detecting its version by shape: AI SDK 5
 * (`LanguageModelV2Usage` / `LanguageModelUsage`, flat), AI SDK 6 provider `LanguageModelV3Usage`
 * (`inputTokens: { total, noCache, cacheRead, cacheWrite }`), or AI SDK 6 `LanguageModelUsage`
 * (`inputTokenDetails` / `outputTokenDetails`). Cache writes carry no TTL here: they count as
 * 5-minute writes. The shape names no model or provider.
 *
 * @example
 * normalizeAiSdkUsage({ inputTokens: { total: 1000, noCache: 200, cacheRead: 800, cacheWrite: 0 },
 *   outputTokens: { total: 50, text: 30, reasoning: 20 } }).usage
 * // → inputTokens 200, cacheReadTokens 800, outputTokens 50, reasoningTokens 20
 */
export function normalizeAiSdkUsage(raw: unknown, options: AiSdkUsageOptions = {}): NormalizedUsage {
  const version = detectAiSdkUsageVersion(raw);
  if (version === "v3") return normalized(fromV3(validate(v3Schema, raw, "usage"), "usage"));
  if (version === "v6") {
    const u = validate(v6Schema, raw, "usage");
    return normalized(
      fromV3(
        {
          inputTokens: {
            total: u.inputTokens,
            noCache: u.inputTokenDetails?.noCacheTokens,
            cacheRead: u.inputTokenDetails?.cacheReadTokens,
            cacheWrite: u.inputTokenDetails?.cacheWriteTokens,
          },
          outputTokens: {
            total: u.outputTokens,
            text: u.outputTokenDetails?.textTokens,
            reasoning: u.outputTokenDetails?.reasoningTokens,
          },
        },
        "usage",
      ),
    );
  }
  return normalized(fromV2(raw, options.inputIncludesCache ?? true));
}
