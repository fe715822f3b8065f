import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
import type { Usage } from "../usage.js";
import {
  minus,
  type NormalizeOptions,
  n,
  optionalCountSchema,
  tokenCountSchema,
  unknownCounts,
} from "./normalized.js";

const money = z.number().nonnegative().nullish();

/** xAI's provider labels (the catalog's id, and the common spelling). */
const XAI = new Set(["x-ai", "xai"]);

/** Chat Completions usage as OpenAI and OpenAI-compatible providers send it (see docs/usage.md). */
const chatUsageSchema = z.object({
  prompt_tokens: tokenCountSchema,
  // Absent from embeddings usage (prompt_tokens and total_tokens only).
  completion_tokens: tokenCountSchema.default(0),
  total_tokens: optionalCountSchema,
  prompt_tokens_details: z
    .object({
      cached_tokens: optionalCountSchema,
      audio_tokens: optionalCountSchema,
      // OpenAI (GPT-5.6 on) and OpenRouter: cache writes, disjoint from cached_tokens (see writesAlsoRead).
      cache_write_tokens: optionalCountSchema,
    })
    .nullish(),
  completion_tokens_details: z
    .object({ reasoning_tokens: optionalCountSchema, audio_tokens: optionalCountSchema })
    .nullish(),
  // DeepSeek: hit + miss = prompt_tokens.
  prompt_cache_hit_tokens: optionalCountSchema,
  prompt_cache_miss_tokens: optionalCountSchema,
  // Moonshot: cache reads at the top level; Mistral: num_cached_tokens.
  cached_tokens: optionalCountSchema,
  num_cached_tokens: optionalCountSchema,
  // xAI Live Search: sources used, billed per source.
  num_sources_used: optionalCountSchema,
  cost: money,
});
type ChatUsage = z.output<typeof chatUsageSchema>;

/**
 * Fields understood (as a bucket, a subset of one, or not a token count at all). Text, image and
 * video prompt tokens are part of `prompt_tokens` billed at the input rate; predictions are part
 * of `completion_tokens`; times, costs and BYOK flags carry no tokens.
 */
export const CHAT_KNOWN_FIELDS: ReadonlySet<string> = new Set([
  "prompt_tokens",
  "completion_tokens",
  "total_tokens",
  "prompt_tokens_details.cached_tokens",
  "prompt_tokens_details.audio_tokens",
  "prompt_tokens_details.cache_write_tokens",
  "prompt_tokens_details.text_tokens",
  "prompt_tokens_details.image_tokens",
  "prompt_tokens_details.video_tokens",
  "completion_tokens_details.reasoning_tokens",
  "completion_tokens_details.audio_tokens",
  "completion_tokens_details.text_tokens",
  "completion_tokens_details.accepted_prediction_tokens",
  "completion_tokens_details.rejected_prediction_tokens",
  "prompt_cache_hit_tokens",
  "prompt_cache_miss_tokens",
  "cached_tokens",
  "num_cached_tokens",
  "num_sources_used",
  "cost",
  "cost_details.upstream_inference_cost",
  "cost_details.upstream_inference_prompt_cost",
  "cost_details.upstream_inference_completions_cost",
  "cost_details.upstream_inference_input_cost",
  "cost_details.upstream_inference_output_cost",
  "cost_in_usd_ticks",
  "queue_time",
  "prompt_time",
  "completion_time",
  "total_time",
]);

/** The one cache-read count, from whichever field the provider uses; two that disagree are rejected. */
function cacheReads(u: ChatUsage): number {
  const sources: [string, number | null | undefined][] = [
    ["prompt_tokens_details.cached_tokens", u.prompt_tokens_details?.cached_tokens],
    ["cached_tokens", u.cached_tokens],
    ["num_cached_tokens", u.num_cached_tokens],
    ["prompt_cache_hit_tokens", u.prompt_cache_hit_tokens],
  ];
  const given = sources.filter((s): s is [string, number] => typeof s[1] === "number");
  const first = given[0];
  if (!first) return 0;
  for (const [field, value] of given) {
    if (value !== first[1]) {
      throw new BudgetError("invalid_input", `usage.${field}: ${value} ≠ usage.${first[0]} (${first[1]})`, {
        field: `usage.${field}`,
      });
    }
  }
  if (u.prompt_cache_hit_tokens != null || u.prompt_cache_miss_tokens != null) {
    const sum = n(u.prompt_cache_hit_tokens) + n(u.prompt_cache_miss_tokens);
    if (sum !== u.prompt_tokens) {
      throw new BudgetError(
        "invalid_input",
        `usage.prompt_cache_miss_tokens: hit + miss (${sum}) ≠ prompt_tokens (${u.prompt_tokens})`,
        { field: "usage.prompt_cache_miss_tokens" },
      );
    }
  }
  return first[1];
}

/**
 * How the provider's total reads: reasoning inside `completion_tokens` (OpenAI) or on top (xAI),
 * cache reads inside `prompt_tokens` or on top (xAI, sometimes), as `total_tokens` shows. Without
 * a total, only the `x-ai` label (or reasoning above the completion count) reads as on top. A total
 * that fits no reading is rejected.
 */
function reading(u: ChatUsage, cached: number, reasoning: number, provider: string | undefined) {
  const p = u.prompt_tokens;
  const c = u.completion_tokens;
  const t = u.total_tokens;
  const cachedOnTop =
    cached > p &&
    (t == null ? XAI.has(provider ?? "") : t === p + cached + c || t === p + cached + c + reasoning);
  const inputSide = cachedOnTop ? p + cached : p;
  let reasoningOnTop = false;
  if (reasoning > 0) {
    reasoningOnTop =
      t != null
        ? t === inputSide + c + reasoning && t !== inputSide + c
        : XAI.has(provider ?? "") || reasoning > c;
  } else if (t != null && t > inputSide + c && provider === "google") {
    // Gemini's OpenAI compatibility counts thinking only in total_tokens (billed as output).
    return { cachedOnTop, reasoningOnTop: true, hiddenReasoning: t - inputSide - c };
  }
  if (t != null && t !== inputSide + c + (reasoningOnTop ? reasoning : 0)) {
    throw new BudgetError(
      "invalid_input",
      `usage.total_tokens: ${t} ≠ prompt (${inputSide}) + completion (${c})` +
        (reasoning > 0 ? `, with or without reasoning (${reasoning})` : "") +
        (t > inputSide + c
          ? "; Gemini's OpenAI compatibility counts thinking only in the total: label the call google"
          : ""),
      { field: "usage.total_tokens" },
    );
  }
  return { cachedOnTop, reasoningOnTop, hiddenReasoning: 0 };
}

/**
 * Cache reads that are also this call's cache writes: OpenRouter on Google models (explicit
 * caching) creates the cache and reads it in the same call, so `cache_write_tokens` ⊂
 * `cached_tokens` there, which shows as the two adding up to more than `prompt_tokens`. Anywhere
 * else (or when the writes are not within the reads) they are disjoint, as OpenAI's are.
 */
function writesAlsoRead(prompt: number, cached: number, written: number, provider: string | undefined) {
  return provider === "openrouter" && written > 0 && written <= cached && cached + written > prompt;
}

/**
 * Chat Completions usage of OpenAI or an OpenAI-compatible provider. `prompt_tokens` includes
 * cache reads and audio, so they are taken out; cache writes (`cache_write_tokens`) are disjoint
 * from reads but inside `prompt_tokens`; reasoning is inside `completion_tokens` except where the
 * total shows it on top (xAI).
 */
export function fromChatUsage(
  raw: unknown,
  options: NormalizeOptions,
): { partial: Partial<Usage>; unknown: string[] } {
  const u = validate(chatUsageSchema, raw, "usage");
  const unknown = unknownCounts(raw, CHAT_KNOWN_FIELDS, "usage");
  const cached = cacheReads(u);
  const reported = n(u.completion_tokens_details?.reasoning_tokens);
  const { cachedOnTop, reasoningOnTop, hiddenReasoning } = reading(u, cached, reported, options.provider);
  const reasoning = reported + hiddenReasoning;
  const cacheWrite = n(u.prompt_tokens_details?.cache_write_tokens);
  const audioIn = n(u.prompt_tokens_details?.audio_tokens);
  const audioOut = n(u.completion_tokens_details?.audio_tokens);
  const prompt = cachedOnTop ? u.prompt_tokens + cached : u.prompt_tokens;
  const completion = reasoningOnTop ? u.completion_tokens + reasoning : u.completion_tokens;
  // Tokens both written and read are counted once, as writes (billed at the write rate).
  const readOnly = writesAlsoRead(prompt, cached, cacheWrite, options.provider)
    ? cached - cacheWrite
    : cached;
  const partial: Partial<Usage> = {
    inputTokens: minus(prompt, readOnly + cacheWrite + audioIn, "usage", "prompt_tokens_details"),
    cacheReadTokens: readOnly,
    cacheWriteTokens: cacheWrite,
    inputAudioTokens: audioIn,
    outputTokens: minus(completion, audioOut, "usage", "completion_tokens_details.audio_tokens"),
    outputAudioTokens: audioOut,
    reasoningTokens: reasoning,
    webSearches: n(u.num_sources_used),
  };
  return { partial, unknown };
}
