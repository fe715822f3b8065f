import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
import type { Usage } from "../usage.js";
import {
  isRecord,
  minus,
  type NormalizedUsage,
  type NormalizeOptions,
  n,
  normalized,
  optionalCountSchema,
  requireSomeCount,
  unknownCounts,
} from "./normalized.js";

// Proto3 JSON omits zero counts, so every count is optional.
const modalityCountsSchema = z
  .array(z.object({ modality: z.string().nullish(), tokenCount: optionalCountSchema }))
  .nullish();
type ModalityCounts = z.output<typeof modalityCountsSchema>;

const usageMetadataSchema = z.object({
  promptTokenCount: optionalCountSchema,
  cachedContentTokenCount: optionalCountSchema,
  candidatesTokenCount: optionalCountSchema,
  toolUsePromptTokenCount: optionalCountSchema,
  thoughtsTokenCount: optionalCountSchema,
  totalTokenCount: optionalCountSchema,
  promptTokensDetails: modalityCountsSchema,
  cacheTokensDetails: modalityCountsSchema,
  candidatesTokensDetails: modalityCountsSchema,
  toolUsePromptTokensDetails: modalityCountsSchema,
});
type UsageMetadata = z.output<typeof usageMetadataSchema>;

/** The counts of `usageMetadata` (js-genai `GenerateContentResponseUsageMetadata`). */
export const GEMINI_COUNT_FIELDS = [
  "promptTokenCount",
  "cachedContentTokenCount",
  "candidatesTokenCount",
  "toolUsePromptTokenCount",
  "thoughtsTokenCount",
  "totalTokenCount",
] as const;

/** Fields understood; modality lists are checked by modality (see {@link fromMetadata}). */
const KNOWN: ReadonlySet<string> = new Set([
  ...GEMINI_COUNT_FIELDS,
  "promptTokensDetails[].tokenCount",
  "cacheTokensDetails[].tokenCount",
  "candidatesTokensDetails[].tokenCount",
  "toolUsePromptTokensDetails[].tokenCount",
  // Embedding responses spell it without the s.
  "promptTokenDetails[].tokenCount",
]);

/** Output modalities with a bucket of ours; any other output modality is unknown. */
const OUTPUT_MODALITIES = new Set(["TEXT", "IMAGE", "AUDIO"]);

const responseSchema = z.object({
  modelVersion: z.string().nullish(),
  usageMetadata: usageMetadataSchema,
  candidates: z
    .array(
      z.object({
        groundingMetadata: z.object({ webSearchQueries: z.array(z.string()).nullish() }).nullish(),
      }),
    )
    .nullish(),
});

/** Tokens of one modality in a `*TokensDetails` list. */
function of(modality: string, details: ModalityCounts): number {
  return (details ?? []).filter((d) => d.modality === modality).reduce((sum, d) => sum + n(d.tokenCount), 0);
}

/**
 * `promptTokenCount` includes the cached content and `promptTokensDetails` includes cached audio;
 * tool-use prompt tokens come on top; `candidatesTokenCount` excludes thoughts (billed as output)
 * and includes image output, billed at its own rate; `totalTokenCount` is prompt + candidates +
 * thoughts + tool-use prompt.
 */
function fromMetadata(m: UsageMetadata, unknown: string[]): Partial<Usage> {
  const what = "usageMetadata";
  const total =
    n(m.promptTokenCount) +
    n(m.candidatesTokenCount) +
    n(m.thoughtsTokenCount) +
    n(m.toolUsePromptTokenCount);
  if (m.totalTokenCount != null && m.totalTokenCount !== total) {
    throw new BudgetError(
      "invalid_input",
      `${what}.totalTokenCount: ${m.totalTokenCount} ≠ prompt + candidates + thoughts + tool-use prompt (${total})`,
      { field: `${what}.totalTokenCount` },
    );
  }
  for (const d of m.candidatesTokensDetails ?? []) {
    if (!OUTPUT_MODALITIES.has(d.modality ?? "") && n(d.tokenCount) > 0) {
      unknown.push(`${what}.candidatesTokensDetails.${d.modality ?? "MODALITY_UNSPECIFIED"}`);
    }
  }
  const cached = n(m.cachedContentTokenCount);
  const cacheAudio = of("AUDIO", m.cacheTokensDetails);
  const toolUse = n(m.toolUsePromptTokenCount);
  const toolAudio = of("AUDIO", m.toolUsePromptTokensDetails);
  const outAudio = of("AUDIO", m.candidatesTokensDetails);
  const outImage = of("IMAGE", m.candidatesTokensDetails);
  const uncachedPrompt = minus(n(m.promptTokenCount), cached, what, "cachedContentTokenCount");
  const uncachedAudio = minus(
    of("AUDIO", m.promptTokensDetails),
    cacheAudio,
    what,
    "cacheTokensDetails.AUDIO",
  );
  return {
    inputTokens:
      minus(uncachedPrompt, uncachedAudio, what, "promptTokensDetails.AUDIO") +
      minus(toolUse, toolAudio, what, "toolUsePromptTokensDetails.AUDIO"),
    cacheReadTokens: minus(cached, cacheAudio, what, "cacheTokensDetails.AUDIO"),
    inputAudioTokens: uncachedAudio + toolAudio,
    cacheAudioReadTokens: cacheAudio,
    outputTokens:
      minus(n(m.candidatesTokenCount), outAudio + outImage, what, "candidatesTokensDetails") +
      n(m.thoughtsTokenCount),
    reasoningTokens: n(m.thoughtsTokenCount),
    outputAudioTokens: outAudio,
    outputImageTokens: outImage,
  };
}

/** Parses one `usageMetadata`, requiring at least one count and collecting unknown fields. */
function parseMetadata(raw: unknown, what: string): { partial: Partial<Usage>; unknown: string[] } {
  if (!isRecord(raw)) throw new BudgetError("invalid_input", `${what}: expected an object`, { field: what });
  requireSomeCount(raw, GEMINI_COUNT_FIELDS, what);
  const unknown = unknownCounts(raw, KNOWN, what);
  const partial = fromMetadata(validate(usageMetadataSchema, raw, what), unknown);
  return { partial, unknown };
}

/** True when `raw` looks like a bare `usageMetadata` rather than a response. */
function isBareMetadata(raw: Record<string, unknown>): boolean {
  return !("usageMetadata" in raw) && Object.keys(raw).some((k) => k.endsWith("TokenCount"));
}

/**
 * Normalizes Google Gemini (AI Studio and Vertex AI) `generateContent` usage. Accepts a response,
 * its bare `usageMetadata`, or the list of `streamGenerateContent` chunks: each chunk's
 * usageMetadata is cumulative, so the last one is the total. When responses are given, each
 * distinct grounding `webSearchQueries` entry counts as a web search (the unit Gemini 3 bills).
 * `IMAGE` candidates tokens are image output (`outputImageTokens`), not text.
 *
 * @example
 * normalizeGeminiUsage({ usageMetadata: { promptTokenCount: 5000, cachedContentTokenCount: 4096,
 *   candidatesTokenCount: 300, thoughtsTokenCount: 700, totalTokenCount: 6000 } }).usage
 * // → inputTokens 904, cacheReadTokens 4096, outputTokens 1000, reasoningTokens 700
 */
export function normalizeGeminiUsage(raw: unknown, options: NormalizeOptions = {}): NormalizedUsage {
  if (isRecord(raw) && isBareMetadata(raw)) {
    const { partial, unknown } = parseMetadata(raw, "usageMetadata");
    return normalized(partial, { unknown }, options);
  }
  const chunks = Array.isArray(raw) ? raw : [raw];
  const last = chunks.findLast((c) => isRecord(c) && isRecord(c.usageMetadata));
  if (last === undefined) {
    throw new BudgetError("invalid_input", "gemini usage: no usageMetadata found", {
      field: "usageMetadata",
    });
  }
  const response = validate(responseSchema, last, "response");
  const { partial, unknown } = parseMetadata(
    (last as Record<string, unknown>).usageMetadata,
    "usageMetadata",
  );
  const queries = new Set<string>();
  for (const chunk of chunks) {
    if (!isRecord(chunk) || !Array.isArray(chunk.candidates)) continue;
    const parsed = validate(responseSchema.pick({ candidates: true }), chunk, "response");
    for (const c of parsed.candidates ?? [])
      for (const q of c.groundingMetadata?.webSearchQueries ?? []) queries.add(q);
  }
  return normalized(
    { ...partial, webSearches: queries.size },
    { model: response.modelVersion, unknown },
    options,
  );
}
