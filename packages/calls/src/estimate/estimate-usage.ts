import type { Usage } from "@budget/core";
import { promptContent } from "./message-text.js";
import { type CountMethod, counterForMethod, type TokenCounter, tokenCounterFor } from "./token-counter.js";

/** Output tokens reserved when a request sets no maximum. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;
/**
 * Tokens assumed per image or file attachment: above OpenAI's 765 for a high-detail 1024² image
 * and near Anthropic's ~1,600 for a 1.15-megapixel one, so typical images are not under-reserved.
 */
export const TOKENS_PER_ATTACHMENT = 1600;
// OpenAI's chat framing: 3 tokens per message plus 3 priming the reply; used for every model.
const TOKENS_PER_MESSAGE = 3;
const REPLY_PRIMING_TOKENS = 3;

/** What {@link estimateUsage} reads from a request. */
export interface EstimateInput {
  model: string;
  system?: unknown;
  /** Chat messages, Responses `input`, Anthropic messages or an AI SDK prompt. */
  messages?: unknown;
  tools?: unknown;
  /** The request's output cap (`max_tokens`, `max_completion_tokens`, `max_output_tokens`, `maxOutputTokens`). */
  maxOutputTokens?: number | null | undefined;
  /** Used when the request sets no cap (default {@link DEFAULT_MAX_OUTPUT_TOKENS}). */
  defaultMaxOutputTokens?: number | undefined;
  /** Counts with this method instead of the one the model name implies (e.g. an OpenAI-compatible proxy). */
  tokenizer?: CountMethod | undefined;
}

/** An estimate to reserve: prompt tokens as input, the output cap as output. */
export interface UsageEstimate {
  usage: Pick<Usage, "inputTokens" | "outputTokens">;
  /** How the prompt was counted. */
  method: CountMethod;
  /** The counter that counted it: the one to count the call's output with. */
  counter: TokenCounter;
}

/**
 * Estimates a call before it is made: prompt tokens (counted with the model's tokenizer for OpenAI
 * models, the character heuristic otherwise; plus chat framing and a fixed amount per attachment)
 * plus the maximum output tokens. Cache discounts are ignored, so the estimate errs high.
 *
 * @example
 * await estimateUsage({ model: "gpt-4o", messages: [{ role: "user", content: "hi" }], maxOutputTokens: 100 })
 * // → { usage: { inputTokens: 8, outputTokens: 100 }, method: "o200k_base" }
 */
export async function estimateUsage(input: EstimateInput): Promise<UsageEstimate> {
  const counter = input.tokenizer
    ? await counterForMethod(input.tokenizer)
    : await tokenCounterFor(input.model);
  const content = promptContent(input);
  let inputTokens = REPLY_PRIMING_TOKENS + content.attachments * TOKENS_PER_ATTACHMENT;
  for (const m of content.messages)
    inputTokens += TOKENS_PER_MESSAGE + counter.count(m.role) + counter.count(m.text);
  const outputTokens = input.maxOutputTokens ?? input.defaultMaxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  return { usage: { inputTokens, outputTokens }, method: counter.method, counter };
}

/** The first cap a request sets, among the names the SDKs use. */
export function maxOutputTokensOf(params: Record<string, unknown>): number | undefined {
  for (const key of ["max_completion_tokens", "max_output_tokens", "max_tokens", "maxOutputTokens"]) {
    const v = params[key];
    if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
  }
  return undefined;
}
