import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
import type { Usage } from "../usage.js";
import { minus, n, optionalCountSchema, unknownCounts } from "./normalized.js";

const modalitiesSchema = z
  .object({
    text_tokens: optionalCountSchema,
    audio_tokens: optionalCountSchema,
    image_tokens: optionalCountSchema,
  })
  .nullish();

/** openai-node `RealtimeResponseUsage`: every field optional. */
const realtimeUsageSchema = z.object({
  input_tokens: optionalCountSchema,
  output_tokens: optionalCountSchema,
  total_tokens: optionalCountSchema,
  input_token_details: z
    .object({
      text_tokens: optionalCountSchema,
      audio_tokens: optionalCountSchema,
      image_tokens: optionalCountSchema,
      cached_tokens: optionalCountSchema,
      cached_tokens_details: modalitiesSchema,
    })
    .nullish(),
  output_token_details: modalitiesSchema,
});

/**
 * Realtime usage fields understood. Image tokens are left out on purpose: they have their own rate
 * (gpt-realtime: $5/M, cached $0.50/M) and no bucket of ours, so a non-zero count is unknown.
 */
export const REALTIME_KNOWN_FIELDS: ReadonlySet<string> = new Set([
  "input_tokens",
  "output_tokens",
  "total_tokens",
  "input_token_details.text_tokens",
  "input_token_details.audio_tokens",
  "input_token_details.cached_tokens",
  "input_token_details.cached_tokens_details.text_tokens",
  "input_token_details.cached_tokens_details.audio_tokens",
  "output_token_details.text_tokens",
  "output_token_details.audio_tokens",
]);

function check(whole: number, parts: number, field: string, what: string): void {
  if (whole !== parts) {
    throw new BudgetError("invalid_input", `usage.${field}: ${whole} ≠ ${what} (${parts})`, {
      field: `usage.${field}`,
    });
  }
}

/**
 * Realtime `response.done` usage: `input_tokens` = text + audio + image input, cache reads a subset
 * split by modality in `cached_tokens_details`; `output_tokens` = text + audio output.
 */
export function fromRealtimeUsage(raw: unknown): { partial: Partial<Usage>; unknown: string[] } {
  const u = validate(realtimeUsageSchema, raw, "usage");
  if (u.input_tokens == null && u.output_tokens == null) {
    throw new BudgetError("invalid_input", "usage: none of input_tokens, output_tokens is present", {
      field: "usage.input_tokens",
    });
  }
  const inD = u.input_token_details;
  const cachedD = inD?.cached_tokens_details;
  const outD = u.output_token_details;
  const textIn = n(inD?.text_tokens);
  const audioIn = n(inD?.audio_tokens);
  const imageIn = n(inD?.image_tokens);
  const cachedText = n(cachedD?.text_tokens);
  const cachedAudio = n(cachedD?.audio_tokens);
  const cached = inD?.cached_tokens ?? cachedText + cachedAudio + n(cachedD?.image_tokens);
  const input = n(u.input_tokens);
  const output = n(u.output_tokens);
  if (inD) check(input, textIn + audioIn + imageIn, "input_tokens", "text + audio + image tokens");
  if (cachedD)
    check(
      cached,
      cachedText + cachedAudio + n(cachedD.image_tokens),
      "input_token_details.cached_tokens",
      "cached text + audio + image",
    );
  else if (cached > 0) {
    throw new BudgetError(
      "invalid_input",
      "usage.input_token_details.cached_tokens_details: required to split cached tokens by modality",
      {
        field: "usage.input_token_details.cached_tokens_details",
      },
    );
  }
  const textOut = outD ? n(outD.text_tokens) : output;
  const audioOut = n(outD?.audio_tokens);
  if (outD) check(output, textOut + audioOut, "output_tokens", "text + audio tokens");
  if (u.total_tokens != null) check(u.total_tokens, input + output, "total_tokens", "input + output tokens");
  return {
    partial: {
      inputTokens: inD
        ? minus(textIn, cachedText, "usage", "input_token_details.cached_tokens_details.text_tokens")
        : input,
      cacheReadTokens: cachedText,
      inputAudioTokens: minus(
        audioIn,
        cachedAudio,
        "usage",
        "input_token_details.cached_tokens_details.audio_tokens",
      ),
      cacheAudioReadTokens: cachedAudio,
      outputTokens: textOut,
      outputAudioTokens: audioOut,
    },
    unknown: unknownCounts(raw, REALTIME_KNOWN_FIELDS, "usage"),
  };
}
