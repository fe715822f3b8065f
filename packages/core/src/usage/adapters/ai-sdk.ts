import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
import type { Usage } from "../usage.js";
import { normalizeAnthropicUsage } from "./anthropic.js";
import { normalizeGeminiUsage } from "./gemini.js";
import {
  isRecord,
  minus,
  type NormalizedUsage,
  type NormalizeOptions,
  n,
  normalized,
  optionalCountSchema,
  unknownCounts,
} from "./normalized.js";

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
export interface AiSdkUsageOptions extends NormalizeOptions {
  /**
   * Whether a v2 (AI SDK 5) `inputTokens` includes `cachedInputTokens`. By default true, except
   * for the `anthropic` and `aws` (Bedrock) provider labels: AI SDK 5's Anthropic and Bedrock
   * providers report input without cache reads. Ignored for v3 and AI SDK 6 shapes, which are explicit.
   */
  inputIncludesCache?: boolean;
}

/** Provider labels whose AI SDK 5 `inputTokens` excludes cache reads. */
const INPUT_EXCLUDES_CACHE = new Set(["anthropic", "aws", "amazon-bedrock", "bedrock"]);

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
  const { text } = u.outputTokens;
  let outputTokens = u.outputTokens.total ?? n(text) + reasoning;
  // Providers that report reasoning outside the completion count (xAI through an OpenAI-compatible
  // provider) give total = text < reasoning: the reasoning is on top, not inside.
  if (
    u.outputTokens.total != null &&
    reasoning > u.outputTokens.total &&
    (text == null || text === u.outputTokens.total)
  ) {
    outputTokens = u.outputTokens.total + reasoning;
  }
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
  if (u.inputTokens == null && u.outputTokens == null && u.totalTokens == null) {
    throw new BudgetError(
      "invalid_input",
      "usage: none of inputTokens, outputTokens, totalTokens is present (not recorded as zero)",
      {
        field: "usage.inputTokens",
      },
    );
  }
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

/** Count fields understood per version (`raw`, the provider's own usage in v3, is not judged here). */
const KNOWN: Record<AiSdkUsageVersion, ReadonlySet<string>> = {
  v2: new Set(["inputTokens", "outputTokens", "totalTokens", "reasoningTokens", "cachedInputTokens"]),
  v3: new Set([
    "inputTokens.total",
    "inputTokens.noCache",
    "inputTokens.cacheRead",
    "inputTokens.cacheWrite",
    "outputTokens.total",
    "outputTokens.text",
    "outputTokens.reasoning",
  ]),
  v6: new Set([
    "inputTokens",
    "outputTokens",
    "totalTokens",
    "inputTokenDetails.noCacheTokens",
    "inputTokenDetails.cacheReadTokens",
    "inputTokenDetails.cacheWriteTokens",
    "outputTokenDetails.textTokens",
    "outputTokenDetails.reasoningTokens",
    // Deprecated AI SDK 6 copies of the details.
    "reasoningTokens",
    "cachedInputTokens",
  ]),
};

const metadataSchema = z
  .object({
    anthropic: z.object({ usage: z.unknown().optional() }).nullish(),
    google: z.object({ usageMetadata: z.unknown().optional() }).nullish(),
    bedrock: z
      .object({ usage: z.object({ cacheWriteInputTokens: optionalCountSchema }).nullish() })
      .nullish(),
  })
  .nullish();

function fromV6(raw: unknown): Partial<Usage> {
  const u = validate(v6Schema, raw, "usage");
  return fromV3(
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
  );
}

/** A usage whose every count is absent is no usage: rejected, never recorded as zero. */
function requireCounts(raw: Record<string, unknown>): void {
  const flat = [raw.inputTokens, raw.outputTokens, raw.totalTokens];
  const nested = [raw.inputTokens, raw.outputTokens].flatMap((o) => (isRecord(o) ? Object.values(o) : []));
  if ([...flat, ...nested].some((v) => typeof v === "number")) return;
  throw new BudgetError(
    "invalid_input",
    "usage: no inputTokens or outputTokens count is present (not recorded as zero)",
    {
      field: "usage.inputTokens",
    },
  );
}

/**
 * Normalizes a Vercel AI SDK usage object, detecting its version by shape: AI SDK 5
 * (`LanguageModelV2Usage` / `LanguageModelUsage`, flat), AI SDK 6 provider `LanguageModelV3Usage`
 * (`inputTokens: { total, noCache, cacheRead, cacheWrite }`), or AI SDK 6 `LanguageModelUsage`
 * (`inputTokenDetails` / `outputTokenDetails`). Also accepts `{ usage, providerMetadata }` (a
 * result or a `finish` part): for AI SDK 5, whose usage drops cache writes and Gemini tool-use
 * prompt tokens, the provider's own usage in `providerMetadata` (`anthropic.usage`,
 * `google.usageMetadata`, `bedrock.usage.cacheWriteInputTokens`) is used instead. Cache writes of
 * the AI SDK shapes carry no TTL: they count as 5-minute writes.
 *
 * @example
 * normalizeAiSdkUsage({ inputTokens: { total: 1000, noCache: 200, cacheRead: 800, cacheWrite: 0 },
 *   outputTokens: { total: 50, text: 30, reasoning: 20 } }).usage
 * // → inputTokens 200, cacheReadTokens 800, outputTokens 50, reasoningTokens 20
 */
export function normalizeAiSdkUsage(raw: unknown, options: AiSdkUsageOptions = {}): NormalizedUsage {
  const wrapped = isRecord(raw) && isRecord(raw.usage);
  const usage = wrapped ? raw.usage : raw;
  const version = detectAiSdkUsageVersion(usage);
  const record = usage as Record<string, unknown>;
  const { raw: _providerRaw, ...judged } = record;
  const unknown = unknownCounts(judged, KNOWN[version], "usage");
  if (version === "v2" && wrapped) {
    const meta = validate(metadataSchema, raw.providerMetadata, "providerMetadata");
    if (meta?.anthropic?.usage != null) return normalizeAnthropicUsage(meta.anthropic.usage, options);
    if (meta?.google?.usageMetadata != null) return normalizeGeminiUsage(meta.google.usageMetadata, options);
    const write = n(meta?.bedrock?.usage?.cacheWriteInputTokens);
    if (write > 0) {
      const partial = fromV2(usage, false);
      return normalized({ ...partial, cacheWriteTokens: write }, { unknown }, options);
    }
  }
  let partial: Partial<Usage>;
  if (version === "v3") partial = fromV3(validate(v3Schema, usage, "usage"), "usage");
  else if (version === "v6") partial = fromV6(usage);
  else {
    const includesCache = options.inputIncludesCache ?? !INPUT_EXCLUDES_CACHE.has(options.provider ?? "");
    partial = fromV2(usage, includesCache);
  }
  requireCounts(record);
  return normalized(partial, { unknown }, options);
}
