import {
  createAnthropicStreamUsage,
  type NormalizedUsage,
  type NormalizeOptions,
  normalizeAnthropicUsage,
  type Usage,
} from "@budget/core";
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
  promptSide,
  type TokenCounter,
} from "../estimate/index.js";

type Params = Record<string, unknown> & { model: string; stream?: boolean | null };
/** The SDK's own `messages.create`. */
export type MessagesCreate = (
  params: Params,
  options?: unknown,
) => { withResponse(): Promise<WithResponse<unknown>> };

interface StreamEvent {
  type?: unknown;
  delta?: { type?: unknown; text?: unknown; thinking?: unknown; partial_json?: unknown };
}

function tallyDelta(tally: OutputTally, delta: StreamEvent["delta"]) {
  if (typeof delta?.text === "string") tally.text(delta.text);
  else if (typeof delta?.partial_json === "string") tally.text(delta.partial_json);
  else if (typeof delta?.thinking === "string") tally.reasoning(delta.thinking);
}

/**
 * Usage of a streamed message: message_start carries the input side, message_delta the cumulative
 * final counts. Known only once a message_delta arrived; before it, output is not final, so an
 * estimate takes message_start's reported input side and counts the output deltas seen.
 */
function messageStreamUsage(counter: TokenCounter, normalize: NormalizeOptions): StreamUsage<unknown> {
  const acc = createAnthropicStreamUsage(normalize);
  const output = createOutputTally(counter);
  let started = false;
  let final = false;
  // A usage the adapter rejects must not break the caller's stream: kept, and thrown at settle.
  let unreadable: { error: unknown } | null = null;
  const reportedInput = (prompt: Partial<Usage>) => {
    try {
      return promptSide(acc.usage().usage);
    } catch {
      return prompt;
    }
  };
  return {
    observe(item) {
      const event = item as StreamEvent;
      if (event.type === "message_start" || event.type === "message_delta") {
        try {
          acc.push(item);
        } catch (error) {
          unreadable ??= { error };
        }
      }
      if (event.type === "message_start") started = true;
      if (event.type === "message_delta") final = true;
      if (event.type === "content_block_delta") tallyDelta(output, event.delta);
      return true;
    },
    usage: (): NormalizedUsage | null => {
      if (unreadable) throw unreadable.error;
      return final ? acc.usage() : null;
    },
    estimate: (prompt) => output.usage(started && !unreadable ? reportedInput(prompt) : prompt),
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
  const { counter } = estimate;
  const normalize: NormalizeOptions = {
    provider: callProvider(options, params.model, "anthropic"),
    unknownFields: "tag",
  };
  return {
    call: { provider: normalize.provider as string, model: params.model, operation: "messages" },
    params,
    estimate: estimate.usage,
    invoke: (p) => create(p, requestOptions),
    withModel: (p, model) => ({ ...p, model }),
    usageOf: (data) =>
      (data as { usage?: unknown }).usage ? normalizeAnthropicUsage(data, normalize) : null,
    ...(params.stream === true ? { streamUsage: () => messageStreamUsage(counter, normalize) } : {}),
  };
}
