import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
import type { Usage } from "../usage.js";
import { checkTopLevel, groupIterations, type Iteration, iterationSchema } from "./anthropic-iterations.js";
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

const cacheCreationSchema = z
  .object({ ephemeral_5m_input_tokens: optionalCountSchema, ephemeral_1h_input_tokens: optionalCountSchema })
  .nullish();

// Every field nullish: message_delta usage sends null for what it does not update.
const usageFieldsSchema = z.object({
  input_tokens: optionalCountSchema,
  output_tokens: optionalCountSchema,
  cache_creation_input_tokens: optionalCountSchema,
  cache_read_input_tokens: optionalCountSchema,
  cache_creation: cacheCreationSchema,
  server_tool_use: z.object({ web_search_requests: optionalCountSchema }).nullish(),
  output_tokens_details: z.object({ thinking_tokens: optionalCountSchema }).nullish(),
  iterations: z.array(iterationSchema).nullish(),
});
type UsageFields = z.output<typeof usageFieldsSchema>;

const ITERATION_FIELDS = [
  "input_tokens",
  "output_tokens",
  "cache_creation_input_tokens",
  "cache_read_input_tokens",
  "cache_creation.ephemeral_5m_input_tokens",
  "cache_creation.ephemeral_1h_input_tokens",
];

/** Messages usage fields understood (anthropic-sdk-typescript `BetaUsage`, `BetaMessageDeltaUsage`). */
export const ANTHROPIC_KNOWN_FIELDS: ReadonlySet<string> = new Set([
  ...ITERATION_FIELDS,
  "server_tool_use.web_search_requests",
  // Web fetch has no charge beyond the tokens it adds.
  "server_tool_use.web_fetch_requests",
  "output_tokens_details.thinking_tokens",
  ...ITERATION_FIELDS.map((f) => `iterations[].${f}`),
]);

const messageSchema = z.object({ model: z.string().nullish(), usage: usageFieldsSchema });
const eventSchema = z.object({ type: z.string() });
const deltaSchema = z.object({ usage: usageFieldsSchema });

type Counts = Pick<
  UsageFields,
  | "input_tokens"
  | "output_tokens"
  | "cache_creation_input_tokens"
  | "cache_read_input_tokens"
  | "cache_creation"
>;

/**
 * Anthropic's `input_tokens` already excludes cache reads and writes, so buckets map one to one.
 * `cache_creation` splits the writes by TTL; any remainder not attributed to 1 hour is a 5-minute write.
 */
function buckets(u: Counts, what: string): Partial<Usage> {
  const split = u.cache_creation;
  const w5m = n(split?.ephemeral_5m_input_tokens);
  const w1h = n(split?.ephemeral_1h_input_tokens);
  const creation = u.cache_creation_input_tokens ?? w5m + w1h;
  if (split) minus(creation, w5m + w1h, what, "cache_creation_input_tokens");
  return {
    inputTokens: n(u.input_tokens),
    cacheReadTokens: n(u.cache_read_input_tokens),
    cacheWriteTokens: creation - w1h,
    cacheWrite1hTokens: w1h,
    outputTokens: n(u.output_tokens),
  };
}

/** Field-by-field sum of a model's iterations, as one set of counts. */
function sumIterations(its: readonly Iteration[]): Counts {
  const sum = (f: (it: Iteration) => number | null | undefined) => its.reduce((s, it) => s + n(f(it)), 0);
  return {
    input_tokens: sum((it) => it.input_tokens),
    output_tokens: sum((it) => it.output_tokens),
    cache_read_input_tokens: sum((it) => it.cache_read_input_tokens),
    cache_creation_input_tokens: sum((it) => it.cache_creation_input_tokens ?? null),
    cache_creation: {
      ephemeral_5m_input_tokens: sum((it) => it.cache_creation?.ephemeral_5m_input_tokens),
      ephemeral_1h_input_tokens: sum((it) => it.cache_creation?.ephemeral_1h_input_tokens),
    },
  };
}

/**
 * With `iterations` (compaction, advisor, server-side fallback), the top level counts the
 * `message` iterations only: the call's usage is the sum over ITS model's iterations, and each
 * other model's iterations (an advisor) are usage of their own, returned in `others`.
 */
function toNormalized(
  u: UsageFields,
  model: string | null | undefined,
  meta: { what: string; unknown: readonly string[] },
  options: NormalizeOptions,
): NormalizedUsage {
  const { what } = meta;
  let main: Counts = u;
  const others: NormalizedUsage[] = [];
  if (u.iterations && u.iterations.length > 0) {
    checkTopLevel(u, u.iterations, what);
    const groups = groupIterations(u.iterations, model, what);
    const own = model ?? "";
    main = sumIterations(groups.get(own) ?? []);
    for (const [other, its] of groups) {
      if (other === own) continue;
      others.push(normalized(buckets(sumIterations(its), `${what}.iterations`), { model: other }, options));
    }
  }
  return normalized(
    {
      ...buckets(main, what),
      reasoningTokens: n(u.output_tokens_details?.thinking_tokens),
      webSearches: n(u.server_tool_use?.web_search_requests),
    },
    { model, unknown: meta.unknown, others },
    options,
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
 * cache fields in newer API versions, `iterations` when compaction or an advisor ran), so later
 * values replace earlier ones instead of adding up.
 *
 * @example
 * const acc = createAnthropicStreamUsage({ provider: "anthropic" });
 * for await (const event of stream) acc.push(event);
 * const { usage, model } = acc.usage();
 */
export function createAnthropicStreamUsage(options: NormalizeOptions = {}): AnthropicStreamUsage {
  let fields: UsageFields | undefined;
  let model: string | null | undefined;
  const unknown = new Set<string>();
  const note = (raw: unknown) => {
    for (const f of unknownCounts(raw, ANTHROPIC_KNOWN_FIELDS, "stream.usage")) unknown.add(f);
  };
  return {
    push(event) {
      const { type } = validate(eventSchema, event, "event");
      if (type === "message_start") {
        const message = validate(z.object({ message: messageSchema }), event, "message_start").message;
        model = message.model;
        note((event as { message: { usage: unknown } }).message.usage);
        fields = mergeCumulative(fields ?? {}, message.usage);
      } else if (type === "message_delta") {
        note((event as { usage: unknown }).usage);
        fields = mergeCumulative(fields ?? {}, validate(deltaSchema, event, "message_delta").usage);
      }
    },
    usage() {
      if (fields === undefined) {
        throw new BudgetError("invalid_input", "anthropic stream: no message_start or message_delta seen");
      }
      return toNormalized(fields, model, { what: "stream.usage", unknown: [...unknown] }, options);
    },
  };
}

/**
 * Normalizes Anthropic Messages usage (Anthropic's API, and Bedrock InvokeModel or Vertex AI,
 * which return the same body). Accepts a Message response, its bare `usage`, or a list of parsed
 * stream events (or a single `message_start`). Cache reads and writes are reported on top of
 * `input_tokens`; `cache_creation` splits writes into 5-minute and 1-hour buckets;
 * `server_tool_use.web_search_requests` counts web searches; `output_tokens_details.thinking_tokens`
 * is the reasoning subset of `output_tokens`; `iterations` are summed per model (see docs/usage.md).
 *
 * @example
 * normalizeAnthropicUsage({ input_tokens: 20, cache_read_input_tokens: 3000, output_tokens: 90 }).usage
 * // → inputTokens 20, cacheReadTokens 3000, outputTokens 90, requests 1
 */
export function normalizeAnthropicUsage(raw: unknown, options: NormalizeOptions = {}): NormalizedUsage {
  if (
    Array.isArray(raw) ||
    (isRecord(raw) && (raw.type === "message_start" || raw.type === "message_delta"))
  ) {
    const acc = createAnthropicStreamUsage(options);
    for (const event of Array.isArray(raw) ? raw : [raw]) acc.push(event);
    return acc.usage();
  }
  if (isRecord(raw) && "usage" in raw) {
    const message = validate(messageSchema, raw, "message");
    requireCounts(message.usage, "message.usage");
    const unknown = unknownCounts(raw.usage, ANTHROPIC_KNOWN_FIELDS, "message.usage");
    return toNormalized(message.usage, message.model, { what: "message.usage", unknown }, options);
  }
  const usage = validate(usageFieldsSchema, raw, "usage");
  requireCounts(usage, "usage");
  const unknown = unknownCounts(raw, ANTHROPIC_KNOWN_FIELDS, "usage");
  return toNormalized(usage, undefined, { what: "usage", unknown }, options);
}

/** A complete Messages usage always has both counts; their absence means the wrong shape was passed. */
function requireCounts(u: UsageFields, what: string): void {
  for (const field of ["input_tokens", "output_tokens"] as const) {
    if (typeof u[field] !== "number") {
      throw new BudgetError("invalid_input", `${what}.${field}: required`, { field: `${what}.${field}` });
    }
  }
}
