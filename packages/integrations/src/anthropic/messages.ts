import { createAnthropicStreamUsage, normalizeAnthropicUsage, type Usage } from "@budget/core";
import type { BudgetGuardOptions, GuardedCall, StreamUsage, WithResponse } from "../call-guard/index.js";
import { estimateUsage, maxOutputTokensOf } from "../estimate/index.js";

type Params = Record<string, unknown> & { model: string; stream?: boolean | null };
/** The SDK's own `messages.create`. */
export type MessagesCreate = (
  params: Params,
  options?: unknown,
) => { withResponse(): Promise<WithResponse<unknown>> };

/**
 * Usage of a streamed message: message_start carries the input side, message_delta the cumulative
 * final counts. Known only once a message_delta arrived; before it, output is not final.
 */
function messageStreamUsage(): StreamUsage<unknown> {
  const acc = createAnthropicStreamUsage();
  let final = false;
  return {
    observe(item) {
      const type = (item as { type?: unknown }).type;
      if (type === "message_start" || type === "message_delta") acc.push(item);
      if (type === "message_delta") final = true;
      return true;
    },
    usage: (): Partial<Usage> | null => (final ? acc.usage().usage : null),
  };
}

/** Describes one `messages.create` call for the guard. */
export async function messagesCall(
  options: BudgetGuardOptions,
  create: MessagesCreate,
  params: Params,
  requestOptions: unknown,
): Promise<GuardedCall<Params, unknown>> {
  const estimate = await estimateUsage({
    model: params.model,
    system: params.system,
    messages: params.messages,
    tools: params.tools,
    maxOutputTokens: maxOutputTokensOf(params),
    defaultMaxOutputTokens: options.defaultMaxOutputTokens,
    tokenizer: options.tokenizer,
  });
  return {
    call: { provider: "anthropic", model: params.model, operation: "messages" },
    params,
    estimate: estimate.usage,
    invoke: (p) => create(p, requestOptions),
    withModel: (p, model) => ({ ...p, model }),
    usageOf: (data) => ((data as { usage?: unknown }).usage ? normalizeAnthropicUsage(data).usage : null),
    ...(params.stream === true ? { streamUsage: messageStreamUsage } : {}),
  };
}
