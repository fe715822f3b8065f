import { estimateChatRequest, withDefaultOutputCap, withOutputCap } from "@budget/calls/estimate";
import { chatStreamUsage } from "@budget/calls/stream-usage";
import { type NormalizeOptions, normalizeOpenAiUsage } from "@budget/core";
import {
  type BudgetGuardOptions,
  callProvider,
  type GuardedCall,
  type WithResponse,
} from "../call-guard/index.js";

type Params = Record<string, unknown> & { model: string; stream?: boolean | null };
type Create = (params: Params, options?: unknown) => { withResponse(): Promise<WithResponse<unknown>> };

/** The choices a request asks for (`n`, default 1). */
const choicesOf = (p: Record<string, unknown>) =>
  typeof p.n === "number" && Number.isInteger(p.n) && p.n > 1 ? p.n : 1;

/** Describes one `chat.completions.create` call for the guard. */
export async function chatCompletionCall(
  options: BudgetGuardOptions,
  create: Create,
  params: Params,
  requestOptions: unknown,
): Promise<GuardedCall<Params, unknown>> {
  const estimate = await estimateChatRequest(params, options);
  const { counter } = estimate;
  const stream = params.stream === true;
  const streamOptions = (params.stream_options ?? {}) as Record<string, unknown>;
  const askedForUsage = streamOptions.include_usage === true;
  const capped = withDefaultOutputCap(params, options.chatCapField ?? "max_completion_tokens", options);
  // Streams report usage only when asked: ask always, so streamed calls are never recorded at $0.
  const sent = stream ? { ...capped, stream_options: { ...streamOptions, include_usage: true } } : capped;
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
    // Each of `n` choices may use the whole cap: the grant is shared between them.
    withOutputCap: (p, granted) =>
      withOutputCap(p, Math.floor(granted / choicesOf(p)), options.chatCapField ?? "max_completion_tokens"),
    usageOf: (data) => {
      const usage = (data as { usage?: unknown }).usage;
      return usage ? normalizeOpenAiUsage(usage, normalize) : null;
    },
    ...(stream ? { streamUsage: () => chatStreamUsage(counter, !askedForUsage, normalize) } : {}),
  };
}
