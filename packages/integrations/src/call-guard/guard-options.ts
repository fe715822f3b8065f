import {
  type BudgetClient,
  type CapabilityRequirements,
  type Dimensions,
  providerOfBaseUrl,
  providerOfCall,
  type ReserveWarning,
  type Usage,
} from "@budget/core";
import type { CountMethod } from "../estimate/token-counter.js";

/** What a wrapped call is about, for deriving its dimensions. */
export interface CallInfo {
  provider: string;
  /** The model the caller asked for. */
  model: string;
  /** `chat.completions`, `responses`, `messages`, `generate`, `stream`. */
  operation: string;
}

/** Options shared by every SDK integration. */
export interface BudgetGuardOptions {
  /** The engine or the HTTP client: integrations depend on this interface only. */
  client: BudgetClient;
  /**
   * The provider label of every call (its `provider` dimension, which resolves the price and
   * tells the usage adapter whose semantics apply). By default: the client's base URL
   * (`providerOfCall`: `api.deepseek.com` → `deepseek`), else a `provider/` model prefix, else
   * the SDK's own (`openai`, `anthropic`). A `provider` in `dimensions` overrides it too.
   */
  provider?: string;
  /**
   * Dimensions of each call (component, project, user...); a function sees the call. `model` and
   * `provider` are filled in from the call unless given here.
   */
  dimensions?: Dimensions | ((call: CallInfo) => Dimensions);
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
  /**
   * Clamp instead of deny: when the estimate's output does not fit, reserve the most output tokens,
   * at least this many, that fit every token and cost limit (`CallHold.grantedOutputTokens`).
   */
  minOutputTokens?: number;
  /** The Chat Completions field the cap is written to: `max_tokens` for servers that know no other. */
  chatCapField?: "max_completion_tokens" | "max_tokens";
  /** Told about warn limits and thresholds passed by an allowed reservation. */
  onWarning?: (warnings: ReserveWarning[], call: CallInfo) => void;
  /**
   * Budget-aware routing: other models the call may use, in order after the one it asks for. The
   * reservation holds the first that fits every matching budget (and `requires`), and the call is
   * made with that model (`CallHold.model`).
   */
  candidates?: string[] | ((call: CallInfo) => string[]);
  /** What a candidate must offer (published capabilities; an unknown one does not qualify). */
  requires?: CapabilityRequirements;
  /** Reservation priority: `critical` may pass a soft limit (never a hard one). */
  priority?: "low" | "normal" | "high" | "critical";
  /** Reservation TTL (the engine's default when absent); set it above the longest call. */
  ttlMs?: number;
  /**
   * Called when committing or releasing fails after the provider answered (the budget service is
   * down, say). Without it, the failure is thrown to the caller, so usage is never lost silently.
   */
  onSettleError?: (error: unknown, call: CallInfo) => void;
  /**
   * Told after an estimate was committed in place of reported usage: a stream aborted, abandoned
   * or failed before the provider reported usage, or a response or stream that reported none.
   * The engine's ledger does not mark such events; log or count them here.
   */
  onEstimatedUsage?: (usage: Partial<Usage>, call: CallInfo) => void;
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
