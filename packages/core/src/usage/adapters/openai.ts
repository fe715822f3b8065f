import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
import { isRecord, type NormalizedUsage, type NormalizeOptions, normalized } from "./normalized.js";
import { fromChatUsage } from "./openai-chat.js";
import { fromRealtimeUsage } from "./openai-realtime.js";
import { countWebSearches, fromResponsesUsage } from "./openai-responses.js";

const bodySchema = z.object({ model: z.string().nullish(), output: z.unknown().optional() });

/** Unwraps stream events and chunk lists to the object whose `usage` (or itself) is the usage. */
function unwrap(raw: unknown): unknown {
  if (Array.isArray(raw)) {
    // A captured stream: only the final chunk (include_usage), response.completed or response.done carries usage.
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

/** Which OpenAI usage object `usage` is, by its count fields. */
function usageKind(usage: Record<string, unknown>): "chat" | "responses" | "realtime" {
  if ("prompt_tokens" in usage) return "chat";
  if ("input_token_details" in usage || "output_token_details" in usage) return "realtime";
  if ("input_tokens" in usage || "output_tokens" in usage) {
    // Realtime's details are optional; Responses always has input_tokens_details.
    return "input_tokens_details" in usage || "output_tokens_details" in usage ? "responses" : "realtime";
  }
  throw new BudgetError(
    "invalid_input",
    "usage: none of prompt_tokens, input_tokens, output_tokens is present (not recorded as zero)",
    { field: "usage.prompt_tokens" },
  );
}

/**
 * Normalizes OpenAI and OpenAI-compatible usage (DeepSeek, Moonshot, Mistral, xAI, Groq,
 * OpenRouter…; see docs/usage.md for each provider's fields). Accepts a Chat Completions response
 * or its bare `usage`, the final chunk of a stream with `stream_options.include_usage` (or the
 * whole list of chunks), a Responses API response, its bare `usage` or the `response.completed`
 * event, and a Realtime `response.done` event or its response. In a whole Responses body, each
 * `web_search_call` item whose action is a `search` counts as a web search. The provider label is
 * `options.provider` (the call's), never inferred from the shape.
 *
 * @example
 * normalizeOpenAiUsage({ prompt_tokens: 1200, completion_tokens: 80,
 *   prompt_tokens_details: { cached_tokens: 1024 } }, { provider: "openai" }).usage
 * // → inputTokens 176, cacheReadTokens 1024, outputTokens 80, requests 1
 */
export function normalizeOpenAiUsage(raw: unknown, options: NormalizeOptions = {}): NormalizedUsage {
  const target = unwrap(raw);
  if (!isRecord(target)) throw new BudgetError("invalid_input", "openai usage: expected an object");
  const hasBody = "usage" in target;
  if (hasBody && !isRecord(target.usage)) {
    throw new BudgetError("invalid_input", "openai usage: the response carries no usage", { field: "usage" });
  }
  const usage = (hasBody ? target.usage : target) as Record<string, unknown>;
  const body = hasBody ? validate(bodySchema, target, "response") : { model: undefined, output: undefined };
  const kind = usageKind(usage);
  const { partial, unknown } =
    kind === "chat"
      ? fromChatUsage(usage, options)
      : kind === "responses"
        ? fromResponsesUsage(usage)
        : fromRealtimeUsage(usage);
  const webSearches = (partial.webSearches ?? 0) + countWebSearches(body.output);
  return normalized({ ...partial, webSearches }, { model: body.model, unknown }, options);
}
