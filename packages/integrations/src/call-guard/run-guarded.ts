import type { Usage } from "@budget/core";
import { type CallHold, holdForCall } from "./call-hold.js";
import type { BudgetGuardOptions, CallInfo } from "./guard-options.js";
import { type GuardedPromise, guardedPromise, type WithResponse } from "./guarded-promise.js";
import { guardSdkStream } from "./guarded-stream.js";

/** Accumulates a stream's usage as items pass. */
export interface StreamUsage<Item> {
  /** Sees each item; `false` hides it from the consumer (a usage chunk the caller did not ask for). */
  observe(item: Item): boolean | undefined;
  /** The final usage, or null when the stream ended before reporting it. */
  usage(): Partial<Usage> | null;
}

/** One provider call, described for {@link runGuarded}. */
export interface GuardedCall<Params, Data> {
  call: CallInfo;
  params: Params;
  estimate: Partial<Usage>;
  /** The SDK's own method, unwrapped: returns its `APIPromise`. */
  invoke(params: Params): { withResponse(): Promise<WithResponse<Data>> };
  /** The params with another model (the soft limit's fallback). */
  withModel(params: Params, model: string): Params;
  /** For a plain response: its usage, or null when it carries none. */
  usageOf(data: Data): Partial<Usage> | null;
  /** For a stream (`Data` is an SDK `Stream`): a fresh accumulator; absent for plain responses. */
  streamUsage?: () => StreamUsage<unknown>;
}

/** Releases without letting a release failure hide the error that caused it. */
async function releaseQuietly(hold: CallHold, options: BudgetGuardOptions, call: CallInfo) {
  try {
    await hold.release();
  } catch (err) {
    options.onSettleError?.(err, call);
  }
}

interface SdkStream {
  controller: AbortController;
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
}

/**
 * Reserve → call → commit, as one SDK call: a denial throws before the provider is called; a
 * provider error releases; a plain response commits its usage; a stream commits its final usage
 * when it ends and releases when it is aborted or fails first. A response or finished stream that
 * reports no usage commits the reserved estimate, since the call was billed and unpriced never
 * means free.
 */
export function runGuarded<Params, Data>(
  options: BudgetGuardOptions,
  spec: GuardedCall<Params, Data>,
): GuardedPromise<Data> {
  const run = async (): Promise<WithResponse<Data>> => {
    const hold = await holdForCall(options, spec.call, spec.estimate);
    const params = hold.fellBack ? spec.withModel(spec.params, hold.model) : spec.params;
    let result: WithResponse<Data>;
    try {
      result = await spec.invoke(params).withResponse();
    } catch (err) {
      await releaseQuietly(hold, options, spec.call);
      throw err;
    }
    if (!spec.streamUsage) {
      await hold.commit(spec.usageOf(result.data) ?? spec.estimate);
      return result;
    }
    const stream = result.data as unknown as SdkStream;
    const acc = spec.streamUsage();
    const data = guardSdkStream(stream, {
      observe: (item) => acc.observe(item),
      ended: async () => {
        const usage = acc.usage();
        if (usage) await hold.commit(usage);
        else if (stream.controller.signal.aborted) await releaseQuietly(hold, options, spec.call);
        else await hold.commit(spec.estimate);
      },
      // A consumer that stops after the usage arrived (before the stop event) was still billed.
      abandoned: async () => {
        const usage = acc.usage();
        if (usage) await hold.commit(usage).catch((err) => options.onSettleError?.(err, spec.call));
        else await releaseQuietly(hold, options, spec.call);
      },
    });
    return { ...result, data: data as unknown as Data };
  };
  return guardedPromise(run());
}
