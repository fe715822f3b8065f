import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
import { isRecord, minus, type NormalizedUsage, n, normalized, optionalCountSchema } from "./normalized.js";

// Every field nullish: message_delta usage sends null for what it does not update.
const usageFieldsSchema = z.object({
  input_tokens: optionalCountSchema,
  output_tokens: optionalCountSchema,
  cache_creation_input_tokens: optionalCountSchema,
  cache_read_input_tokens: optionalCountSchema,
  cache_creation: z
    .object({
      ephemeral_5m_input_tokens: optionalCountSchema,
      ephemeral_1h_input_tokens: optionalCountSchema,
    })
    .nullish(),
  server_tool_use: z.object({ web_search_requests: optionalCountSchema }).nullish(),
});
type UsageFields = z.output<typeof usageFieldsSchema>;

const messageSchema = z.object({ model: z.string().nullish(), usage: usageFieldsSchema });
const eventSchema = z.object({ type: z.string() });
const deltaSchema = z.object({ usage: usageFieldsSchema });

/**
 * Anthropic's `input_tokens` already excludes cache reads and writes, so buckets map one to one.
 * `cache_creation` splits the writes by TTL; any remainder not attributed to 1 hour is a 5-minute write.
 */
function toNormalized(u: UsageFields, model: string | null | undefined, what: string): NormalizedUsage {
  const split = u.cache_creation;
  const w5m = n(split?.ephemeral_5m_input_tokens);
  const w1h = n(split?.ephemeral_1h_input_tokens);
  const creation = u.cache_creation_input_tokens ?? w5m + w1h;
  if (split) minus(creation, w5m + w1h, what, "cache_creation_input_tokens");
  return normalized(
    {
      inputTokens: n(u.input_tokens),
      cacheReadTokens: n(u.cache_read_input_tokens),
      cacheWriteTokens: creation - w1h,
      cacheWrite1hTokens: w1h,
      outputTokens: n(u.output_tokens),
      webSearches: n(u.server_tool_use?.web_search_requests),
    },
    { model, provider: "anthropic" },
  );
}

/** Overwrites `into` with every non-null field of `from`: stream usage counts are cumulative. */
function mergeCumulative(into: UsageFields, from: UsageFields): UsageFields {
  const out: UsageFields = { ...into };
  for (const [key, value] of Object.entries(from) as [keyof UsageFields, unknown][]) {
    if (value !== null && value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

/** Accumulates the usage of one streamed Anthropic message. */
export interface AnthropicStreamUsage {
  /** Feeds one parsed stream event; events other than message_start/message_delta are ignored. */
  push(event: unknown): void;
  /** The usage so far; after the last message_delta, the message's final usage. */
  usage(): NormalizedUsage;
}

/**
 * Accumulator for a streamed Anthropic message. `message_start` carries the input side (and a
 * token or so of output); each `message_delta` carries CUMULATIVE counts (output always, input and
 * cache fields in newer API versions), so later values replace earlier ones instead of adding up.
 *
 * @example
 * const acc = createAnthropicStreamUsage();
 * for await (const event of stream) acc.push(event);
 * const { usage, model } = acc.usage();
 */
export function createAnthropicStreamUsage(): AnthropicStreamUsage {
  let fields: UsageFields | undefined;
  let model: string | null | undefined;
  return {
    push(event) {
      const { type } = validate(eventSchema, event, "event");
      if (type === "message_start") {
        const message = validate(z.object({ message: messageSchema }), event, "message_start").message;
        model = message.model;
        fields = mergeCumulative(fields ?? {}, message.usage);
      } else if (type === "message_delta") {
        fields = mergeCumulative(fields ?? {}, validate(deltaSchema, event, "message_delta").usage);
      }
    },
    usage() {
      if (fields === undefined) {
        throw new BudgetError("invalid_input", "anthropic stream: no message_start or message_delta seen");
      }
      return toNormalized(fields, model, "stream.usage");
    },
  };
}

/**
 * Normalizes Anthropic Messages usage. Accepts a Message response, its bare `usage`, or a list of
 * parsed stream events (or a single `message_start`). Cache reads and writes are reported on top
 * of `input_tokens`; `cache_creation` splits writes into 5-minute and 1-hour buckets;
 * `server_tool_use.web_search_requests` counts web searches. Thinking tokens are part of
 * `output_tokens` and reported by the API without a separate count, so `reasoningTokens` is 0.
 *
 * @example
 * normalizeAnthropicUsage({ input_tokens: 20, cache_read_input_tokens: 3000, output_tokens: 90 }).usage
 * // → inputTokens 20, cacheReadTokens 3000, outputTokens 90, requests 1
 */
export function normalizeAnthropicUsage(raw: unknown): NormalizedUsage {
  if (
    Array.isArray(raw) ||
    (isRecord(raw) && (raw.type === "message_start" || raw.type === "message_delta"))
  ) {
    const acc = createAnthropicStreamUsage();
    for (const event of Array.isArray(raw) ? raw : [raw]) acc.push(event);
    return acc.usage();
  }
  if (isRecord(raw) && "usage" in raw) {
    const message = validate(messageSchema, raw, "message");
    requireCounts(message.usage, "message.usage");
    return toNormalized(message.usage, message.model, "message.usage");
  }
  const usage = validate(usageFieldsSchema, raw, "usage");
  requireCounts(usage, "usage");
  return toNormalized(usage, undefined, "usage");
}

/** A complete Messages usage always has both counts; their absence means the wrong shape was passed. */
function requireCounts(u: UsageFields, what: string): void {
  for (const field of ["input_tokens", "output_tokens"] as const) {
    if (typeof u[field] !== "number") {
      throw new BudgetError("invalid_input", `${what}.${field}: required`, { field: `${what}.${field}` });
    }
  }
}
