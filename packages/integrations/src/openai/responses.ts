import { estimateResponsesRequest, withDefaultOutputCap, withOutputCap } from "@budget/calls/estimate";
import { responsesStreamUsage } from "@budget/calls/stream-usage";
import { type NormalizeOptions, normalizeOpenAiUsage } from "@budget/core";
import {
  type BudgetGuardOptions,
  callProvider,
  type GuardedCall,
  type WithResponse,
} from "../call-guard/index.js";

type Params = Record<string, unknown> & { model: string; stream?: boolean | null };
type Create = (params: Params, options?: unknown) => { withResponse(): Promise<WithResponse<unknown>> };

/** Describes one `responses.create` call for the guard. */
export async function responsesCall(
  options: BudgetGuardOptions,
  create: Create,
  params: Params,
  requestOptions: unknown,
): Promise<GuardedCall<Params, unknown>> {
  const estimate = await estimateResponsesRequest(params, options);
  const { counter } = estimate;
  const normalize: NormalizeOptions = {
    provider: callProvider(options, params.model, "openai"),
    unknownFields: "tag",
  };
  return {
    call: { provider: normalize.provider as string, model: params.model, operation: "responses" },
    params: withDefaultOutputCap(params, "max_output_tokens", options),
    estimate: estimate.usage,
    invoke: (p) => create(p, requestOptions),
    withModel: (p, model) => ({ ...p, model }),
    withOutputCap: (p, granted) => withOutputCap(p, granted, "max_output_tokens"),
    // The whole body, so web_search_call items count as searches.
    usageOf: (data) => ((data as { usage?: unknown }).usage ? normalizeOpenAiUsage(data, normalize) : null),
    ...(params.stream === true ? { streamUsage: () => responsesStreamUsage(counter, normalize) } : {}),
  };
}
