import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
import type { Usage } from "../usage.js";
import {
  isRecord,
  minus,
  type NormalizedUsage,
  n,
  normalized,
  optionalCountSchema,
  tokenCountSchema,
} from "./normalized.js";

const chatUsageSchema = z.object({
  prompt_tokens: tokenCountSchema,
  completion_tokens: tokenCountSchema,
  total_tokens: optionalCountSchema,
  prompt_tokens_details: z
    .object({
      cached_tokens: optionalCountSchema,
      audio_tokens: optionalCountSchema,
      // Not sent by OpenAI itself, but by OpenAI-compatible gateways that bill cache writes.
      cache_write_tokens: optionalCountSchema,
    })
    .nullish(),
  completion_tokens_details: z
    .object({ reasoning_tokens: optionalCountSchema, audio_tokens: optionalCountSchema })
    .nullish(),
});

const responsesUsageSchema = z.object({
  input_tokens: tokenCountSchema,
  output_tokens: tokenCountSchema,
  total_tokens: optionalCountSchema,
  input_tokens_details: z
    .object({ cached_tokens: optionalCountSchema, cache_write_tokens: optionalCountSchema })
    .nullish(),
  output_tokens_details: z.object({ reasoning_tokens: optionalCountSchema }).nullish(),
});

const bodySchema = z.object({
  model: z.string().nullish(),
  output: z.array(z.object({ type: z.string() })).nullish(),
});

/** Chat Completions usage: `prompt_tokens` includes cached and audio tokens, so they are taken out. */
function fromChat(raw: unknown): Partial<Usage> {
  const u = validate(chatUsageSchema, raw, "usage");
  const cached = n(u.prompt_tokens_details?.cached_tokens);
  const cacheWrite = n(u.prompt_tokens_details?.cache_write_tokens);
  const audioIn = n(u.prompt_tokens_details?.audio_tokens);
  const audioOut = n(u.completion_tokens_details?.audio_tokens);
  const inputTokens = minus(u.prompt_tokens, cached + cacheWrite + audioIn, "usage", "prompt_tokens_details");
  return {
    inputTokens,
    cacheReadTokens: cached,
    cacheWriteTokens: cacheWrite,
    inputAudioTokens: audioIn,
    outputTokens: minus(u.completion_tokens, audioOut, "usage", "completion_tokens_details.audio_tokens"),
    outputAudioTokens: audioOut,
    reasoningTokens: n(u.completion_tokens_details?.reasoning_tokens),
  };
}

/** Responses API usage: `input_tokens` includes cached tokens; `output_tokens` includes reasoning. */
function fromResponses(raw: unknown): Partial<Usage> {
  const u = validate(responsesUsageSchema, raw, "usage");
  const cached = n(u.input_tokens_details?.cached_tokens);
  const cacheWrite = n(u.input_tokens_details?.cache_write_tokens);
  return {
    inputTokens: minus(u.input_tokens, cached + cacheWrite, "usage", "input_tokens_details"),
    cacheReadTokens: cached,
    cacheWriteTokens: cacheWrite,
    outputTokens: u.output_tokens,
    reasoningTokens: n(u.output_tokens_details?.reasoning_tokens),
  };
}

/** Unwraps stream events and chunk lists to the object whose `usage` (or itself) is the usage. */
function unwrap(raw: unknown): unknown {
  if (Array.isArray(raw)) {
    // A captured stream: only the final chunk (include_usage) or response.completed carries usage.
    const last = raw.findLast((c) => isRecord(c) && (isRecord(c.usage) || isRecord(c.response)));
    if (last === undefined) throw new BudgetError("invalid_input", "openai stream: no chunk carries usage");
    return unwrap(last);
  }
  if (
    isRecord(raw) &&
    typeof raw.type === "string" &&
    raw.type.startsWith("response.") &&
    isRecord(raw.response)
  ) {
    return raw.response;
  }
  return raw;
}

/**
 * Normalizes OpenAI usage. Accepts a Chat Completions response or its bare `usage`, the final
 * chunk of a stream with `stream_options.include_usage` (or the whole list of chunks), a
 * Responses API response or its bare `usage`, and the `response.completed` stream event.
 * When a whole Responses body is given, each `web_search_call` output item counts as a web search.
 *
 * @example
 * normalizeOpenAiUsage({ prompt_tokens: 1200, completion_tokens: 80,
 *   prompt_tokens_details: { cached_tokens: 1024 } }).usage
 * // → inputTokens 176, cacheReadTokens 1024, outputTokens 80, requests 1
 */
export function normalizeOpenAiUsage(raw: unknown): NormalizedUsage {
  const target = unwrap(raw);
  if (!isRecord(target)) throw new BudgetError("invalid_input", "openai usage: expected an object");
  const hasBody = "usage" in target;
  if (hasBody && !isRecord(target.usage)) {
    throw new BudgetError("invalid_input", "openai usage: the response carries no usage", { field: "usage" });
  }
  const usage = (hasBody ? target.usage : target) as Record<string, unknown>;
  const body = hasBody ? validate(bodySchema, target, "response") : {};
  let partial: Partial<Usage>;
  if ("prompt_tokens" in usage) partial = fromChat(usage);
  else if ("input_tokens" in usage) partial = fromResponses(usage);
  else {
    throw new BudgetError("invalid_input", "openai usage: expected prompt_tokens or input_tokens", {
      field: "usage",
    });
  }
  const webSearches = body.output?.filter((item) => item.type === "web_search_call").length ?? 0;
  return normalized({ ...partial, webSearches }, { model: body.model, provider: "openai" });
}
