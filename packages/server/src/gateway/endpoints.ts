import type { ReportedUsage } from "@budget/calls";
import {
  estimateChatRequest,
  estimateEmbeddingsRequest,
  estimateMessagesRequest,
  estimateResponsesRequest,
  type RequestEstimateOptions,
  type TokenCounter,
  type UsageEstimate,
} from "@budget/calls/estimate";
import {
  chatStreamUsage,
  messageStreamUsage,
  responsesStreamUsage,
  type StreamUsage,
} from "@budget/calls/stream-usage";
import { type NormalizeOptions, normalizeAnthropicUsage, normalizeOpenAiUsage } from "@budget/core";
import { z } from "zod";
import type { GatewayApi } from "./gateway-config.js";

/** A request body the gateway budgets: an object with a model. */
export type GatewayParams = Record<string, unknown> & { model: string };

/** How the gateway budgets one provider endpoint. */
export interface BudgetedEndpoint {
  kind: "budgeted";
  /** `chat.completions`, `responses`, `embeddings`, `messages`. */
  operation: string;
  /** The least a body must be to be estimated (the upstream validates the rest). */
  schema: z.ZodType<GatewayParams>;
  estimate(params: GatewayParams, options: RequestEstimateOptions): Promise<UsageEstimate | null>;
  /**
   * The usage a plain response body reports, or null; `provider` is the upstream's label (the
   * call's, never the shape's: DeepSeek or xAI answer in OpenAI's shape). Throws when the usage
   * cannot be read, so the call is settled as unreadable rather than as zero.
   */
  usageOf(body: unknown, provider: string): ReportedUsage | null;
  /**
   * The request as sent when streaming (usage asked for), and the stream's usage accumulator,
   * normalizing as `provider` reports.
   */
  stream?(
    params: GatewayParams,
    counter: TokenCounter,
    provider: string,
  ): { params: GatewayParams; usage: StreamUsage };
  /** The field carrying the output cap, set when the gateway sets or lowers it; none: no output to cap. */
  capField: string | null;
}

/** An endpoint passed through without budgeting: it costs nothing (model lists, token counts). */
export interface FreeEndpoint {
  kind: "free";
  operation: string;
}

/** What the gateway does with a method and path under `/v1/`. */
export type GatewayEndpoint = BudgetedEndpoint | FreeEndpoint;

const model = z.string().min(1).max(256);
const loose = <T extends z.ZodRawShape>(shape: T) =>
  z.looseObject({ model, ...shape }) as unknown as z.ZodType<GatewayParams>;

const withUsage = (body: unknown): body is { usage: unknown } =>
  typeof body === "object" && body !== null && (body as { usage?: unknown }).usage != null;

/**
 * How a gateway call's usage is normalized: under its upstream's provider label, with fields the
 * adapter does not understand recorded tagged `unverified` (the call was billed; never zero).
 */
const normalizeFor = (provider: string): NormalizeOptions => ({ provider, unknownFields: "tag" });

const chat: BudgetedEndpoint = {
  kind: "budgeted",
  operation: "chat.completions",
  schema: loose({ messages: z.array(z.unknown()).min(1) }),
  estimate: estimateChatRequest,
  usageOf: (body, provider) =>
    withUsage(body) ? normalizeOpenAiUsage(body.usage, normalizeFor(provider)) : null,
  stream(params, counter, provider) {
    const options = (params.stream_options ?? {}) as Record<string, unknown>;
    const asked = options.include_usage === true;
    // Streams report usage only when asked: ask always, and hide the extra chunk from who did not.
    const sent = asked ? params : { ...params, stream_options: { ...options, include_usage: true } };
    return { params: sent, usage: chatStreamUsage(counter, !asked, normalizeFor(provider)) };
  },
  // OpenAI's current name (o-series models refuse max_tokens); an upstream may choose max_tokens.
  capField: "max_completion_tokens",
};

const responses: BudgetedEndpoint = {
  kind: "budgeted",
  operation: "responses",
  schema: loose({ input: z.union([z.string(), z.array(z.unknown())]).optional() }),
  estimate: estimateResponsesRequest,
  // The whole body, so web_search_call items count as searches.
  usageOf: (body, provider) => (withUsage(body) ? normalizeOpenAiUsage(body, normalizeFor(provider)) : null),
  stream: (params, counter, provider) => ({
    params,
    usage: responsesStreamUsage(counter, normalizeFor(provider)),
  }),
  capField: "max_output_tokens",
};

const embeddingsUsage = z.object({ prompt_tokens: z.number().int().nonnegative() });
const embeddings: BudgetedEndpoint = {
  kind: "budgeted",
  operation: "embeddings",
  schema: loose({ input: z.union([z.string(), z.array(z.unknown())]) }),
  estimate: estimateEmbeddingsRequest,
  usageOf: (body) => {
    if (!withUsage(body)) return null;
    const u = embeddingsUsage.safeParse(body.usage);
    return u.success ? { inputTokens: u.data.prompt_tokens, outputTokens: 0 } : null;
  },
  capField: null,
};

const messages: BudgetedEndpoint = {
  kind: "budgeted",
  operation: "messages",
  schema: loose({ messages: z.array(z.unknown()).min(1), max_tokens: z.number().int().positive() }),
  estimate: estimateMessagesRequest,
  usageOf: (body, provider) =>
    withUsage(body) ? normalizeAnthropicUsage(body, normalizeFor(provider)) : null,
  stream: (params, counter, provider) => ({
    params,
    usage: messageStreamUsage(counter, normalizeFor(provider)),
  }),
  capField: "max_tokens",
};

const free = (operation: string): FreeEndpoint => ({ kind: "free", operation });

const TABLE: Record<GatewayApi, Record<string, GatewayEndpoint>> = {
  openai: {
    "POST chat/completions": chat,
    "POST responses": responses,
    "POST embeddings": embeddings,
    "GET models": free("models"),
  },
  anthropic: {
    "POST messages": messages,
    "POST messages/count_tokens": free("messages.count_tokens"),
    "GET models": free("models"),
  },
};

/**
 * The endpoint of `method path` (path after `/v1/`) for an upstream speaking `api`, or null: the
 * gateway forwards only what it can budget or what is free, so nothing passes unbudgeted by accident.
 */
export function endpointFor(api: GatewayApi, method: string, path: string): GatewayEndpoint | null {
  const table = TABLE[api];
  const exact = table[`${method} ${path}`];
  if (exact) return exact;
  // GET models/{id}
  if (method === "GET" && /^models\/[^/]+$/.test(path)) return table["GET models"] ?? null;
  return null;
}
