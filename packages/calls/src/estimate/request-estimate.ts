import {
  DEFAULT_MAX_OUTPUT_TOKENS,
  type EstimateInput,
  estimateUsage,
  maxOutputTokensOf,
  type UsageEstimate,
} from "./estimate-usage.js";
import { type CountMethod, counterForMethod, tokenCounterFor } from "./token-counter.js";

/** How a request is estimated, beyond what the request itself says. */
export interface RequestEstimateOptions {
  /** Output tokens reserved when the request sets no maximum (default 4096). */
  defaultMaxOutputTokens?: number | undefined;
  /**
   * Whether a request without an output cap is sent with the cap it was reserved at
   * (`defaultMaxOutputTokens`), so what is reserved bounds what the provider can bill (default true).
   */
  capOutput?: boolean | undefined;
  /** Counts with this method instead of the one the model name implies. */
  tokenizer?: CountMethod | undefined;
}

type Params = Record<string, unknown> & { model: string };

function estimateOf(params: Params, options: RequestEstimateOptions, prompt: Partial<EstimateInput>) {
  return estimateUsage({
    model: params.model,
    ...prompt,
    maxOutputTokens: maxOutputTokensOf(params),
    defaultMaxOutputTokens: options.defaultMaxOutputTokens,
    tokenizer: options.tokenizer,
  });
}

/**
 * `params` as sent: with `field` set to the output cap the request is reserved at
 * (`defaultMaxOutputTokens`, default {@link DEFAULT_MAX_OUTPUT_TOKENS}) when it sets none, so what
 * is reserved bounds what the provider can bill and a hard limit holds. Unchanged when it has a
 * cap, or when `capOutput` is false. The SDK wrappers and the gateway send requests through this.
 *
 * @example
 * withDefaultOutputCap({ model: "gpt-4o", messages }, "max_completion_tokens", {})
 * // → { model: "gpt-4o", messages, max_completion_tokens: 4096 }
 */
export function withDefaultOutputCap<P extends object>(
  params: P,
  field: string,
  options: Pick<RequestEstimateOptions, "capOutput" | "defaultMaxOutputTokens">,
): P {
  if (options.capOutput === false || maxOutputTokensOf(params as Record<string, unknown>) !== undefined)
    return params;
  return { ...params, [field]: options.defaultMaxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS };
}

/**
 * The estimate of an OpenAI Chat Completions request: `messages` and `tools`, plus its output cap
 * once per choice (`n`), since each choice may use the whole cap.
 */
export async function estimateChatRequest(params: Params, options: RequestEstimateOptions = {}) {
  const estimate = await estimateOf(params, options, { messages: params.messages, tools: params.tools });
  const n = params.n;
  if (typeof n === "number" && Number.isInteger(n) && n > 1) estimate.usage.outputTokens *= n;
  return estimate;
}

/** The estimate of an OpenAI Responses request: `instructions`, `input` and `tools`, plus its output cap. */
export function estimateResponsesRequest(params: Params, options: RequestEstimateOptions = {}) {
  return estimateOf(params, options, {
    system: params.instructions,
    messages: params.input,
    tools: params.tools,
  });
}

/** The estimate of an Anthropic Messages request: `system`, `messages` and `tools`, plus `max_tokens`. */
export function estimateMessagesRequest(params: Params, options: RequestEstimateOptions = {}) {
  return estimateOf(params, options, {
    system: params.system,
    messages: params.messages,
    tools: params.tools,
  });
}

/**
 * The estimate of an OpenAI Embeddings request: every input string counted (token-id arrays
 * counted as given), no output. Returns null when `input` is neither a string nor an array.
 */
export async function estimateEmbeddingsRequest(
  params: Params,
  options: RequestEstimateOptions = {},
): Promise<UsageEstimate | null> {
  const counter = options.tokenizer
    ? await counterForMethod(options.tokenizer)
    : await tokenCounterFor(params.model);
  const input = params.input;
  const items = typeof input === "string" ? [input] : Array.isArray(input) ? input : null;
  if (!items || items.length === 0) return null;
  // A list of token ids is one input; a list of such lists is several.
  const list = items.every((i) => typeof i === "number") ? [items] : items;
  let inputTokens = 0;
  for (const item of list) {
    if (typeof item === "string") inputTokens += counter.count(item);
    else if (Array.isArray(item) && item.every((t) => typeof t === "number")) inputTokens += item.length;
    else return null;
  }
  return { usage: { inputTokens, outputTokens: 0 }, method: counter.method, counter };
}

/**
 * `params` with its output cap set to `cap`, in the field the request used (else `field`): a
 * partial grant lowers the cap to what was reserved (the SDK wrappers and the gateway alike).
 */
export function withOutputCap<P extends object>(params: P, cap: number, field: string): P {
  const used = ["max_completion_tokens", "max_output_tokens", "max_tokens"].find((k) => k in params);
  const out = { ...params, [used ?? field]: cap };
  return maxOutputTokensOf(out as Record<string, unknown>) === cap ? out : { ...out, [field]: cap };
}
