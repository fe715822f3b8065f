import { createOutputTally, estimateUsage, promptSide, withDefaultOutputCap } from "@budget/calls/estimate";
import type { LanguageModelMiddleware } from "ai";
import { type BudgetGuardOptions, type CallInfo, callProvider, holdForCall } from "../call-guard/index.js";
import { guardModelStream } from "./guard-model-stream.js";
import { usageOfAiSdk } from "./usage-of.js";

type Model = Parameters<NonNullable<LanguageModelMiddleware["wrapGenerate"]>>[0]["model"];
type CallOptions = Parameters<NonNullable<LanguageModelMiddleware["wrapGenerate"]>>[0]["params"];

/** Options of {@link budgetMiddleware}. */
export interface AiSdkBudgetOptions extends BudgetGuardOptions {
  /**
   * The model to call when a soft limit answers with a fallback model id. Without it the
   * requested model is called, and its usage is committed under its own name and price.
   */
  resolveModel?: (modelId: string) => Model;
}

/** AI SDK provider ids whose catalog provider id is spelled otherwise. */
const CATALOG_IDS: Readonly<Record<string, string>> = {
  "amazon-bedrock": "aws",
  xai: "x-ai",
  "google-vertex": "google",
  vertex: "google",
};

/**
 * `openai.chat` → `openai`: AI SDK provider ids name the API after a dot; mapped to the catalog's
 * ids (`amazon-bedrock` → `aws`, `xai` → `x-ai`). A `provider` option or dimension wins.
 */
function providerOf(options: AiSdkBudgetOptions, model: Model): string {
  const sdk = model.provider.split(".")[0] ?? model.provider;
  return callProvider(options, model.modelId, CATALOG_IDS[sdk] ?? sdk);
}

async function reserveFor(options: AiSdkBudgetOptions, model: Model, params: CallOptions, operation: string) {
  const call: CallInfo = { provider: providerOf(options, model), model: model.modelId, operation };
  const estimate = await estimateUsage({
    model: model.modelId,
    messages: params.prompt,
    tools: params.tools,
    maxOutputTokens: params.maxOutputTokens,
    defaultMaxOutputTokens: options.defaultMaxOutputTokens,
    tokenizer: options.tokenizer,
  });
  const hold = await holdForCall(options, call, estimate.usage);
  const fallback = hold.fellBack && options.resolveModel ? options.resolveModel(hold.model) : null;
  // Without a resolver the requested model runs: commit under its name, not the fallback's.
  const commitModel = hold.fellBack && !fallback ? model.modelId : undefined;
  // A partial grant (`minOutputTokens`): the call is sent, and estimated, capped at what was held.
  const granted = hold.grantedOutputTokens;
  const sent = granted === null ? null : { ...params, maxOutputTokens: granted };
  const usage = granted === null ? estimate.usage : { ...estimate.usage, outputTokens: granted };
  const target = fallback ?? (sent ? model : null);
  return {
    call,
    hold,
    target,
    sent: sent ?? params,
    estimate: usage,
    counter: estimate.counter,
    commitModel,
  };
}

/**
 * AI SDK 6 middleware (`wrapLanguageModel({ model, middleware: budgetMiddleware({...}) })`):
 * reserves an estimate before each generate or stream call and commits the provider's reported
 * usage after (streams: from the `finish` part); a call that fails releases. A stream that fails,
 * is aborted or cancelled, or ends without usage commits an estimate instead (the prompt plus the
 * output seen) and tells `onEstimatedUsage`. A denial throws `BudgetExceededError` before the
 * provider is called; with `minOutputTokens`, a call whose output does not fit is sent with
 * `maxOutputTokens` lowered to the partial grant instead, when at least that many fit.
 *
 * @example
 * const model = wrapLanguageModel({ model: openai("gpt-4o"), middleware: budgetMiddleware({ client: engine }) });
 * const { text } = await generateText({ model, prompt: "Plan the release.", maxOutputTokens: 400 });
 */
export function budgetMiddleware(options: AiSdkBudgetOptions): LanguageModelMiddleware {
  return {
    specificationVersion: "v3",
    // Runs before the wraps: an uncapped call is reserved, and sent, with the default cap.
    transformParams: async ({ params }) => withDefaultOutputCap(params, "maxOutputTokens", options),
    async wrapGenerate({ doGenerate, params, model }) {
      const r = await reserveFor(options, model, params, "generate");
      let result: Awaited<ReturnType<typeof doGenerate>>;
      try {
        result = await (r.target ? r.target.doGenerate(r.sent) : doGenerate());
      } catch (err) {
        await r.hold.release();
        throw err;
      }
      let reported: ReturnType<typeof usageOfAiSdk>;
      try {
        reported = usageOfAiSdk(result.usage, r.call.provider);
      } catch (error) {
        await r.hold.commitUnreadable(error, () => r.estimate, r.commitModel);
        return result;
      }
      await r.hold.commit(reported, () => r.estimate, r.commitModel);
      return result;
    },
    async wrapStream({ doStream, params, model }) {
      const r = await reserveFor(options, model, params, "stream");
      let result: Awaited<ReturnType<typeof doStream>>;
      try {
        result = await (r.target ? r.target.doStream(r.sent) : doStream());
      } catch (err) {
        await r.hold.release();
        throw err;
      }
      const output = createOutputTally(r.counter);
      const stream = guardModelStream(result.stream, {
        output,
        provider: r.call.provider,
        settled: (usage, unreadable) => {
          const estimate = () => output.usage(promptSide(r.estimate));
          return unreadable
            ? r.hold.commitUnreadable(unreadable.error, estimate, r.commitModel)
            : r.hold.commit(usage, estimate, r.commitModel);
        },
      });
      return { ...result, stream };
    },
  };
}
