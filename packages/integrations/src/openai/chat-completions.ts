import { normalizeOpenAiUsage, type Usage } from "@budget/core";
import type { BudgetGuardOptions, GuardedCall, StreamUsage, WithResponse } from "../call-guard/index.js";
import { estimateUsage, maxOutputTokensOf } from "../estimate/index.js";

type Params = Record<string, unknown> & { model: string; stream?: boolean | null };
type Create = (params: Params, options?: unknown) => { withResponse(): Promise<WithResponse<unknown>> };

interface Chunk {
  choices?: unknown[];
  usage?: unknown;
}

/** Usage of a streamed chat completion: the last chunk carries it (with `include_usage`). */
function chatStreamUsage(hideUsageChunk: boolean): StreamUsage<unknown> {
  let usage: Usage | null = null;
  return {
    observe(item) {
      const chunk = item as Chunk;
      if (chunk.usage) usage = normalizeOpenAiUsage(chunk.usage).usage;
      // The usage-only chunk has no choices: hidden from callers that did not ask for it.
      return !(hideUsageChunk && chunk.usage && chunk.choices?.length === 0);
    },
    usage: () => usage,
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
  const stream = params.stream === true;
  const streamOptions = (params.stream_options ?? {}) as Record<string, unknown>;
  const askedForUsage = streamOptions.include_usage === true;
  // Streams report usage only when asked: ask always, so streamed calls are never recorded at $0.
  const sent = stream ? { ...params, stream_options: { ...streamOptions, include_usage: true } } : params;
  return {
    call: { provider: "openai", model: params.model, operation: "chat.completions" },
    params: sent,
    estimate: estimate.usage,
    invoke: (p) => create(p, requestOptions),
    withModel: (p, model) => ({ ...p, model }),
    usageOf: (data) => {
      const usage = (data as { usage?: unknown }).usage;
      return usage ? normalizeOpenAiUsage(usage).usage : null;
    },
    ...(stream ? { streamUsage: () => chatStreamUsage(!askedForUsage) } : {}),
  };
}
