import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
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

const byModality = z
  .array(z.object({ modality: z.string().nullish(), tokens: optionalCountSchema }))
  .nullish();
type ByModality = z.output<typeof byModality>;

/** js-genai `interactions/usage.ts` `Usage`. */
const usageSchema = z.object({
  total_input_tokens: optionalCountSchema,
  total_cached_tokens: optionalCountSchema,
  total_output_tokens: optionalCountSchema,
  total_thought_tokens: optionalCountSchema,
  total_tool_use_tokens: optionalCountSchema,
  total_tokens: optionalCountSchema,
  input_tokens_by_modality: byModality,
  cached_tokens_by_modality: byModality,
  output_tokens_by_modality: byModality,
  tool_use_tokens_by_modality: byModality,
  grounding_tool_count: z
    .array(z.object({ type: z.string().nullish(), count: optionalCountSchema }))
    .nullish(),
});

/** The counts of an Interactions `usage`. */
export const INTERACTIONS_COUNT_FIELDS = [
  "total_input_tokens",
  "total_cached_tokens",
  "total_output_tokens",
  "total_thought_tokens",
  "total_tool_use_tokens",
  "total_tokens",
] as const;

const KNOWN: ReadonlySet<string> = new Set([
  ...INTERACTIONS_COUNT_FIELDS,
  "input_tokens_by_modality[].tokens",
  "cached_tokens_by_modality[].tokens",
  "output_tokens_by_modality[].tokens",
  "tool_use_tokens_by_modality[].tokens",
]);

function of(modality: string, list: ByModality): number {
  return (list ?? [])
    .filter((d) => d.modality?.toUpperCase() === modality)
    .reduce((s, d) => s + n(d.tokens), 0);
}

/**
 * Normalizes the usage of a Gemini Interactions API response (`interaction.usage`, or the bare
 * usage). The same semantics as `generateContent` under other names: `total_input_tokens`
 * includes `total_cached_tokens`; output excludes thoughts; tool-use tokens come on top;
 * `grounding_tool_count` of `google_search` counts web searches. Other grounding tools (Maps,
 * retrieval) are billed per request at rates of their own: a non-zero count is unknown.
 *
 * @example
 * normalizeGeminiInteractionsUsage({ usage: { total_input_tokens: 50, total_cached_tokens: 20,
 *   total_output_tokens: 5, total_thought_tokens: 7 } }).usage
 * // → inputTokens 30, cacheReadTokens 20, outputTokens 12, reasoningTokens 7
 */
export function normalizeGeminiInteractionsUsage(
  raw: unknown,
  options: NormalizeOptions = {},
): NormalizedUsage {
  const body = isRecord(raw) && isRecord(raw.usage) ? raw : { usage: raw };
  const what = "usage";
  if (!isRecord(body.usage))
    throw new BudgetError("invalid_input", "usage: expected an object", { field: what });
  requireSomeCount(body.usage, INTERACTIONS_COUNT_FIELDS, what);
  const u = validate(usageSchema, body.usage, what);
  const unknown = unknownCounts(body.usage, KNOWN, what);
  const sum =
    n(u.total_input_tokens) +
    n(u.total_output_tokens) +
    n(u.total_thought_tokens) +
    n(u.total_tool_use_tokens);
  if (u.total_tokens != null && u.total_tokens !== sum) {
    throw new BudgetError(
      "invalid_input",
      `usage.total_tokens: ${u.total_tokens} ≠ input + output + thought + tool-use (${sum})`,
      {
        field: "usage.total_tokens",
      },
    );
  }
  let searches = 0;
  for (const g of u.grounding_tool_count ?? []) {
    if (g.type === "google_search") searches += n(g.count);
    else if (n(g.count) > 0) unknown.push(`usage.grounding_tool_count.${g.type ?? "unspecified"}`);
  }
  for (const d of u.output_tokens_by_modality ?? []) {
    const m = d.modality?.toUpperCase() ?? "";
    if (!["TEXT", "IMAGE", "AUDIO"].includes(m) && n(d.tokens) > 0)
      unknown.push(`usage.output_tokens_by_modality.${m}`);
  }
  const cached = n(u.total_cached_tokens);
  const cacheAudio = of("AUDIO", u.cached_tokens_by_modality);
  const inAudio = minus(
    of("AUDIO", u.input_tokens_by_modality),
    cacheAudio,
    what,
    "cached_tokens_by_modality.AUDIO",
  );
  const toolAudio = of("AUDIO", u.tool_use_tokens_by_modality);
  const outAudio = of("AUDIO", u.output_tokens_by_modality);
  const outImage = of("IMAGE", u.output_tokens_by_modality);
  const uncached = minus(n(u.total_input_tokens), cached, what, "total_cached_tokens");
  const model = isRecord(raw) && typeof raw.model === "string" ? raw.model : undefined;
  return normalized(
    {
      inputTokens:
        minus(uncached, inAudio, what, "input_tokens_by_modality.AUDIO") +
        minus(n(u.total_tool_use_tokens), toolAudio, what, "tool_use_tokens_by_modality.AUDIO"),
      cacheReadTokens: minus(cached, cacheAudio, what, "cached_tokens_by_modality.AUDIO"),
      inputAudioTokens: inAudio + toolAudio,
      cacheAudioReadTokens: cacheAudio,
      outputTokens:
        minus(n(u.total_output_tokens), outAudio + outImage, what, "output_tokens_by_modality") +
        n(u.total_thought_tokens),
      reasoningTokens: n(u.total_thought_tokens),
      outputAudioTokens: outAudio,
      outputImageTokens: outImage,
      webSearches: searches,
    },
    { model, unknown },
    options,
  );
}
