import { type CallHold, type CallInfo, holdForCall, type ReportedUsage } from "@budget/calls";
import { promptSide } from "@budget/calls/estimate";
import type { StreamUsage } from "@budget/calls/stream-usage";
import type { Usage } from "@budget/core";
import type { BudgetGuardOptions } from "./guard-options.js";
import { type GuardedPromise, guardedPromise, type WithResponse } from "./guarded-promise.js";
import { guardSdkStream } from "./guarded-stream.js";

export type { StreamUsage };

/** One provider call, described for {@link runGuarded}. */
export interface GuardedCall<Params, Data> {
  call: CallInfo;
  params: Params;
  estimate: Partial<Usage>;
  /** The SDK's own method, unwrapped: returns its `APIPromise`. */
  invoke(params: Params): { withResponse(): Promise<WithResponse<Data>> };
  /** The params with another model (the soft limit's fallback). */
  withModel(params: Params, model: string): Params;
  /** The params with the output cap a partial grant reserved (`minOutputTokens`): all choices together. */
  withOutputCap?(params: Params, grantedOutputTokens: number): Params;
  /** For a plain response: its usage, or null when it carries none. */
  usageOf(data: Data): ReportedUsage | null;
  /** For a stream (`Data` is an SDK `Stream`): a fresh accumulator; absent for plain responses. */
  streamUsage?: () => StreamUsage<unknown>;
}

interface SdkStream {
  controller: AbortController;
  [Symbol.asyncIterator](): AsyncIterator<unknown>;
}

/** Commits what `read` returns; a usage that cannot be read commits the estimate, flagged (see `commitUnreadable`). */
async function commitRead(hold: CallHold, read: () => ReportedUsage | null, estimate: () => Partial<Usage>) {
  let reported: ReportedUsage | null;
  try {
    reported = read();
  } catch (err) {
    return hold.commitUnreadable(err, estimate);
  }
  return hold.commit(reported, estimate);
}

/**
 * Reserve → call → commit, as one SDK call: a denial throws before the provider is called; a
 * provider error (no response) releases, since nothing was billed; a plain response commits its
 * usage. A stream commits its reported usage; one that ends without it — aborted, abandoned by
 * the consumer, failed midway or before its first item, or finished with none reported — was
 * accepted by the provider and billed, so it commits an estimate (the prompt, plus the output
 * seen so far) and tells `onEstimatedUsage`: unpriced never means free. A plain response without
 * usage commits the reserved estimate.
 */
export function runGuarded<Params, Data>(
  options: BudgetGuardOptions,
  spec: GuardedCall<Params, Data>,
): GuardedPromise<Data> {
  const run = async (): Promise<WithResponse<Data>> => {
    const hold = await holdForCall(options, spec.call, spec.estimate);
    const chosen = hold.fellBack ? spec.withModel(spec.params, hold.model) : spec.params;
    const granted = hold.grantedOutputTokens;
    const params = granted !== null && spec.withOutputCap ? spec.withOutputCap(chosen, granted) : chosen;
    let result: WithResponse<Data>;
    try {
      result = await spec.invoke(params).withResponse();
    } catch (err) {
      await hold.release();
      throw err;
    }
    if (!spec.streamUsage) {
      await commitRead(
        hold,
        () => spec.usageOf(result.data),
        () => spec.estimate,
      );
      return result;
    }
    const stream = result.data as unknown as SdkStream;
    const acc = spec.streamUsage();
    const settle = () =>
      commitRead(
        hold,
        () => acc.usage(),
        () => acc.estimate(promptSide(spec.estimate)),
      );
    const data = guardSdkStream(stream, {
      observe: (item) => acc.observe(item),
      ended: settle,
      // The stream's own error (or the consumer's stop) must not be replaced by a settle failure.
      abandoned: () => settle().catch((err) => options.onSettleError?.(err, spec.call)),
    });
    return { ...result, data: data as unknown as Data };
  };
  return guardedPromise(run());
}
