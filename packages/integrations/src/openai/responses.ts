import { normalizeOpenAiUsage, type Usage } from "@budget/core";
import type { BudgetGuardOptions, GuardedCall, StreamUsage, WithResponse } from "../call-guard/index.js";
import { estimateUsage, maxOutputTokensOf } from "../estimate/index.js";

type Params = Record<string, unknown> & { model: string; stream?: boolean | null };
type Create = (params: Params, options?: unknown) => { withResponse(): Promise<WithResponse<unknown>> };

interface ResponseEvent {
  type?: string;
  response?: { usage?: unknown };
}

/** Usage of a streamed response: `response.completed` (or `.incomplete`/`.failed`) carries it. */
function responsesStreamUsage(): StreamUsage<unknown> {
  let usage: Usage | null = null;
  return {
    observe(item) {
      const event = item as ResponseEvent;
      if (event.type?.startsWith("response.") && event.response?.usage) {
        usage = normalizeOpenAiUsage(event).usage;
      }
      return true;
    },
    usage: () => usage,
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
  return {
    call: { provider: "openai", model: params.model, operation: "responses" },
    params,
    estimate: estimate.usage,
    invoke: (p) => create(p, requestOptions),
    withModel: (p, model) => ({ ...p, model }),
    // The whole body, so web_search_call items count as searches.
    usageOf: (data) => ((data as { usage?: unknown }).usage ? normalizeOpenAiUsage(data).usage : null),
    ...(params.stream === true ? { streamUsage: responsesStreamUsage } : {}),
  };
}
