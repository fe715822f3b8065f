import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
import { isRecord, minus, type NormalizedUsage, n, normalized, optionalCountSchema } from "./normalized.js";

// Proto3 JSON omits zero counts, so every count is optional.
const modalityCountsSchema = z
  .array(z.object({ modality: z.string().nullish(), tokenCount: optionalCountSchema }))
  .nullish();

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
function audio(details: z.output<typeof modalityCountsSchema>): number {
  return (details ?? []).filter((d) => d.modality === "AUDIO").reduce((sum, d) => sum + n(d.tokenCount), 0);
}

/**
 * `promptTokenCount` includes the cached content and `promptTokensDetails` includes cached audio;
 * tool-use prompt tokens come on top; `candidatesTokenCount` excludes thoughts, billed as output.
 */
function fromMetadata(m: UsageMetadata) {
  const what = "usageMetadata";
  const cached = n(m.cachedContentTokenCount);
  const cacheAudio = audio(m.cacheTokensDetails);
  const promptAudio = audio(m.promptTokensDetails);
  const toolUse = n(m.toolUsePromptTokenCount);
  const toolAudio = audio(m.toolUsePromptTokensDetails);
  const outAudio = audio(m.candidatesTokensDetails);
  const uncachedPrompt = minus(n(m.promptTokenCount), cached, what, "cachedContentTokenCount");
  const uncachedAudio = minus(promptAudio, cacheAudio, what, "cacheTokensDetails.AUDIO");
  return {
    inputTokens:
      minus(uncachedPrompt, uncachedAudio, what, "promptTokensDetails.AUDIO") +
      minus(toolUse, toolAudio, what, "toolUsePromptTokensDetails.AUDIO"),
    cacheReadTokens: minus(cached, cacheAudio, what, "cacheTokensDetails.AUDIO"),
    inputAudioTokens: uncachedAudio + toolAudio,
    cacheAudioReadTokens: cacheAudio,
    outputTokens:
      minus(n(m.candidatesTokenCount), outAudio, what, "candidatesTokensDetails.AUDIO") +
      n(m.thoughtsTokenCount),
    reasoningTokens: n(m.thoughtsTokenCount),
    outputAudioTokens: outAudio,
  };
}

/** True when `raw` looks like a bare `usageMetadata` rather than a response. */
function isBareMetadata(raw: Record<string, unknown>): boolean {
  return !("usageMetadata" in raw) && Object.keys(raw).some((k) => k.endsWith("TokenCount"));
}

/**
 * Normalizes Google Gemini (AI Studio and Vertex AI) usage. Accepts a `generateContent` response,
 * its bare `usageMetadata`, or the list of `streamGenerateContent` chunks: each chunk's
 * usageMetadata is cumulative, so the last one is the total. When responses are given, each
 * distinct grounding `webSearchQueries` entry counts as a web search (the unit Gemini 3 bills).
 *
 * @example
 * normalizeGeminiUsage({ usageMetadata: { promptTokenCount: 5000, cachedContentTokenCount: 4096,
 *   candidatesTokenCount: 300, thoughtsTokenCount: 700, totalTokenCount: 6000 } }).usage
 * // → inputTokens 904, cacheReadTokens 4096, outputTokens 1000, reasoningTokens 700
 */
export function normalizeGeminiUsage(raw: unknown): NormalizedUsage {
  if (isRecord(raw) && isBareMetadata(raw)) {
    return normalized(fromMetadata(validate(usageMetadataSchema, raw, "usageMetadata")), {
      provider: "google",
    });
  }
  const chunks = Array.isArray(raw) ? raw : [raw];
  const last = chunks.findLast((c) => isRecord(c) && isRecord(c.usageMetadata));
  if (last === undefined) {
    throw new BudgetError("invalid_input", "gemini usage: no usageMetadata found", {
      field: "usageMetadata",
    });
  }
  const response = validate(responseSchema, last, "response");
  const queries = new Set<string>();
  for (const chunk of chunks) {
    if (!isRecord(chunk) || !Array.isArray(chunk.candidates)) continue;
    const parsed = validate(responseSchema.pick({ candidates: true }), chunk, "response");
    for (const c of parsed.candidates ?? [])
      for (const q of c.groundingMetadata?.webSearchQueries ?? []) queries.add(q);
  }
  return normalized(
    { ...fromMetadata(response.usageMetadata), webSearches: queries.size },
    { model: response.modelVersion, provider: "google" },
  );
}
