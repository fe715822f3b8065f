import { type NormalizedUsage, type NormalizeOptions, normalizeOpenAiUsage } from "@budget/core";
import {
  type BudgetGuardOptions,
  callProvider,
  type GuardedCall,
  type StreamUsage,
  type WithResponse,
} from "../call-guard/index.js";
import { createOutputTally, estimateUsage, maxOutputTokensOf, type TokenCounter } from "../estimate/index.js";

type Params = Record<string, unknown> & { model: string; stream?: boolean | null };
type Create = (params: Params, options?: unknown) => { withResponse(): Promise<WithResponse<unknown>> };

interface ResponseEvent {
  type?: string;
  response?: { usage?: unknown };
  delta?: unknown;
}

// Events whose `delta` is model output: text, refusals, tool-call arguments (audio is not text).
const OUTPUT_DELTAS = new Set([
  "response.output_text.delta",
  "response.refusal.delta",
  "response.function_call_arguments.delta",
  "response.custom_tool_call_input.delta",
  "response.mcp_call_arguments.delta",
]);
const REASONING_DELTAS = new Set(["response.reasoning_text.delta", "response.reasoning_summary_text.delta"]);

/** Usage of a streamed response: `response.completed` (or `.incomplete`/`.failed`) carries it. */
function responsesStreamUsage(counter: TokenCounter, normalize: NormalizeOptions): StreamUsage<unknown> {
  // Kept raw and read at the end: a usage the adapter rejects must not break the caller's stream.
  let raw: unknown = null;
  const output = createOutputTally(counter);
  return {
    observe(item) {
      const event = item as ResponseEvent;
      if (event.type?.startsWith("response.") && event.response?.usage) {
        raw = event;
      }
      if (typeof event.delta === "string" && event.type) {
        if (OUTPUT_DELTAS.has(event.type)) output.text(event.delta);
        else if (REASONING_DELTAS.has(event.type)) output.reasoning(event.delta);
      }
      return true;
    },
    usage: (): NormalizedUsage | null => (raw ? normalizeOpenAiUsage(raw, normalize) : null),
    estimate: (prompt) => output.usage(prompt),
  };
}

/** Describes one `responses.create` call for the guard. */
export async function responsesCall(
  options: BudgetGuardOptions,
  create: Create,
  params: Params,
  requestOptions: unknown,
): Promise<GuardedCall<Params, unknown>> {
  const estimate = await estimateUsage({
    model: params.model,
    system: params.instructions,
    messages: params.input,
    tools: params.tools,
    maxOutputTokens: maxOutputTokensOf(params),
    defaultMaxOutputTokens: options.defaultMaxOutputTokens,
    tokenizer: options.tokenizer,
  });
  const { counter } = estimate;
  const normalize: NormalizeOptions = {
    provider: callProvider(options, params.model, "openai"),
    unknownFields: "tag",
  };
  return {
    call: { provider: normalize.provider as string, model: params.model, operation: "responses" },
    params,
    estimate: estimate.usage,
    invoke: (p) => create(p, requestOptions),
    withModel: (p, model) => ({ ...p, model }),
    // The whole body, so web_search_call items count as searches.
    usageOf: (data) => ((data as { usage?: unknown }).usage ? normalizeOpenAiUsage(data, normalize) : null),
    ...(params.stream === true ? { streamUsage: () => responsesStreamUsage(counter, normalize) } : {}),
  };
}
