import { estimateMessagesRequest, withDefaultOutputCap, withOutputCap } from "@budget/calls/estimate";
import { messageStreamUsage } from "@budget/calls/stream-usage";
import { type NormalizeOptions, normalizeAnthropicUsage } from "@budget/core";
import {
  type BudgetGuardOptions,
  callProvider,
  type GuardedCall,
  type WithResponse,
} from "../call-guard/index.js";

type Params = Record<string, unknown> & { model: string; stream?: boolean | null };
/** The SDK's own `messages.create`. */
export type MessagesCreate = (
  params: Params,
  options?: unknown,
) => { withResponse(): Promise<WithResponse<unknown>> };

/** Describes one `messages.create` call for the guard. */
export async function messagesCall(
  options: BudgetGuardOptions,
  create: MessagesCreate,
  params: Params,
  requestOptions: unknown,
): Promise<GuardedCall<Params, unknown>> {
  const estimate = await estimateMessagesRequest(params, options);
  const { counter } = estimate;
  const normalize: NormalizeOptions = {
    provider: callProvider(options, params.model, "anthropic"),
    unknownFields: "tag",
  };
  return {
    call: { provider: normalize.provider as string, model: params.model, operation: "messages" },
    params: withDefaultOutputCap(params, "max_tokens", options),
    estimate: estimate.usage,
    invoke: (p) => create(p, requestOptions),
    withModel: (p, model) => ({ ...p, model }),
    withOutputCap: (p, granted) => withOutputCap(p, granted, "max_tokens"),
    usageOf: (data) =>
      (data as { usage?: unknown }).usage ? normalizeAnthropicUsage(data, normalize) : null,
    ...(params.stream === true ? { streamUsage: () => messageStreamUsage(counter, normalize) } : {}),
  };
}
