import { type NormalizedUsage, type NormalizeOptions, normalizeOpenAiUsage } from "@budget/core";
import {
  type BudgetGuardOptions,
  callProvider,
  type GuardedCall,
  type StreamUsage,
  type WithResponse,
} from "../call-guard/index.js";
import {
  createOutputTally,
  estimateUsage,
  maxOutputTokensOf,
  type OutputTally,
  type TokenCounter,
} from "../estimate/index.js";

type Params = Record<string, unknown> & { model: string; stream?: boolean | null };
type Create = (params: Params, options?: unknown) => { withResponse(): Promise<WithResponse<unknown>> };

interface Delta {
  content?: unknown;
  refusal?: unknown;
  /** Reasoning as OpenAI-compatible servers stream it (DeepSeek, OpenRouter, vLLM). */
  reasoning_content?: unknown;
  reasoning?: unknown;
  tool_calls?: { function?: { name?: unknown; arguments?: unknown } }[];
}

interface Chunk {
  choices?: { delta?: Delta }[];
  usage?: unknown;
}

function tallyDelta(tally: OutputTally, delta: Delta | undefined) {
  if (!delta) return;
  for (const text of [delta.content, delta.refusal]) if (typeof text === "string") tally.text(text);
  for (const text of [delta.reasoning_content, delta.reasoning])
    if (typeof text === "string") tally.reasoning(text);
  for (const call of delta.tool_calls ?? []) {
    for (const text of [call.function?.name, call.function?.arguments])
      if (typeof text === "string") tally.text(text);
  }
}

/** Usage of a streamed chat completion: the last chunk carries it (with `include_usage`). */
function chatStreamUsage(
  counter: TokenCounter,
  hideUsageChunk: boolean,
  normalize: NormalizeOptions,
): StreamUsage<unknown> {
  // Kept raw and read at the end: a usage the adapter rejects must not break the caller's stream.
  let raw: unknown = null;
  const output = createOutputTally(counter);
  return {
    observe(item) {
      const chunk = item as Chunk;
      if (chunk.usage) raw = chunk.usage;
      for (const choice of chunk.choices ?? []) tallyDelta(output, choice.delta);
      // The usage-only chunk has no choices: hidden from callers that did not ask for it.
      return !(hideUsageChunk && chunk.usage && chunk.choices?.length === 0);
    },
    usage: (): NormalizedUsage | null => (raw ? normalizeOpenAiUsage(raw, normalize) : null),
    estimate: (prompt) => output.usage(prompt),
  };
}

/** Describes one `chat.completions.create` call for the guard. */
export async function chatCompletionCall(
  options: BudgetGuardOptions,
  create: Create,
  params: Params,
  requestOptions: unknown,
): Promise<GuardedCall<Params, unknown>> {
  const estimate = await estimateUsage({
    model: params.model,
    messages: params.messages,
    tools: params.tools,
    maxOutputTokens: maxOutputTokensOf(params),
    defaultMaxOutputTokens: options.defaultMaxOutputTokens,
    tokenizer: options.tokenizer,
  });
  const { counter } = estimate;
  const stream = params.stream === true;
  const streamOptions = (params.stream_options ?? {}) as Record<string, unknown>;
  const askedForUsage = streamOptions.include_usage === true;
  // Streams report usage only when asked: ask always, so streamed calls are never recorded at $0.
  const sent = stream ? { ...params, stream_options: { ...streamOptions, include_usage: true } } : params;
  // Unknown fields are recorded tagged `unverified` rather than failing a call already billed.
  const normalize: NormalizeOptions = {
    provider: callProvider(options, params.model, "openai"),
    unknownFields: "tag",
  };
  return {
    call: { provider: normalize.provider as string, model: params.model, operation: "chat.completions" },
    params: sent,
    estimate: estimate.usage,
    invoke: (p) => create(p, requestOptions),
    withModel: (p, model) => ({ ...p, model }),
    usageOf: (data) => {
      const usage = (data as { usage?: unknown }).usage;
      return usage ? normalizeOpenAiUsage(usage, normalize) : null;
    },
    ...(stream ? { streamUsage: () => chatStreamUsage(counter, !askedForUsage, normalize) } : {}),
  };
}
