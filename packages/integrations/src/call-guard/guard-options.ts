import type { HoldOptions } from "@budget/calls";
import type { CountMethod } from "@budget/calls/estimate";
import { providerOfBaseUrl, providerOfCall } from "@budget/core";

/** Options shared by every SDK integration: the hold's, and how a call is labelled, counted and capped. */
export interface BudgetGuardOptions extends HoldOptions {
  /**
   * The provider label of every call (its `provider` dimension, which resolves the price and
   * tells the usage adapter whose semantics apply). By default: the client's base URL
   * (`providerOfCall`: `api.deepseek.com` → `deepseek`), else a `provider/` model prefix, else
   * the SDK's own (`openai`, `anthropic`). A `provider` in `dimensions` overrides it too.
   */
  provider?: string;
  /**
   * How prompts are counted: by default OpenAI's encoding for OpenAI model names and a conservative
   * character heuristic for others; force one (e.g. `o200k_base` behind an OpenAI-compatible proxy).
   */
  tokenizer?: CountMethod;
  /**
   * Output tokens to reserve when a request sets no maximum (default 4096); the request is sent
   * with that cap (see `capOutput`), as the gateway does.
   */
  defaultMaxOutputTokens?: number;
  /**
   * Send a request that sets no output cap with the one it was reserved at
   * (`defaultMaxOutputTokens`), so the provider cannot bill more than was reserved (default true).
   * Chat Completions get it in `max_completion_tokens` (or `chatCapField`), Responses in
   * `max_output_tokens`, Messages in `max_tokens`, AI SDK calls in `maxOutputTokens`.
   */
  capOutput?: boolean;
  /** The Chat Completions field the cap is written to: `max_tokens` for servers that know no other. */
  chatCapField?: "max_completion_tokens" | "max_tokens";
}

/**
 * The provider label of one call: a static `provider` dimension, else `options.provider` (given,
 * or from the client's base URL), else a `provider/` prefix of the model, else `fallback`.
 */
export function callProvider(options: BudgetGuardOptions, model: string, fallback: string): string {
  const dims = typeof options.dimensions === "object" ? options.dimensions : undefined;
  return providerOfCall({ provider: dims?.provider ?? options.provider, model, fallback }) ?? fallback;
}

/** `options` with `provider` taken from an SDK client's `baseURL` when not given. */
export function withClientProvider(options: BudgetGuardOptions, client: unknown): BudgetGuardOptions {
  if (options.provider !== undefined) return options;
  const baseUrl = (client as { baseURL?: unknown }).baseURL;
  const provider = typeof baseUrl === "string" ? providerOfBaseUrl(baseUrl) : undefined;
  return provider ? { ...options, provider } : options;
}
