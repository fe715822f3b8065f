import type { ReportedUsage } from "@budget/calls";
import type { OutputTally } from "@budget/calls/estimate";
import { usageOfAiSdk } from "./usage-of.js";

/** What a guarded model stream reports. */
export interface ModelStreamHooks {
  /** Counts the output parts (text, reasoning, tool-call input) as they pass. */
  output: OutputTally;
  /**
   * Called once, when the stream ends, fails or is cancelled: with the `finish` part's usage, or
   * null when none arrived or it carried no counts (then `output` holds what was seen).
   */
  settled(usage: ReportedUsage | null, unreadable?: { error: unknown }): Promise<void>;
  /** The call's provider label, for the usage adapter. */
  provider?: string;
}

interface Part {
  type: string;
  delta?: unknown;
  id?: unknown;
  toolCallId?: unknown;
  input?: unknown;
  usage?: unknown;
}

/** Feeds a `LanguageModelV3StreamPart` to the tally; `streamedInputs` names tool calls whose input streamed. */
function tallyPart(tally: OutputTally, part: Part, streamedInputs: Set<unknown>) {
  if (part.type === "text-delta" && typeof part.delta === "string") tally.text(part.delta);
  else if (part.type === "reasoning-delta" && typeof part.delta === "string") tally.reasoning(part.delta);
  else if (part.type === "tool-input-delta" && typeof part.delta === "string") {
    streamedInputs.add(part.id);
    tally.text(part.delta);
  } else if (part.type === "tool-call" && typeof part.input === "string") {
    // Providers that stream tool input repeat it whole in the tool-call part.
    if (!streamedInputs.has(part.toolCallId)) tally.text(part.input);
  }
}

/**
 * Passes a `LanguageModelV3StreamPart` stream through, counting its output and watching for its
 * `finish` part. Built as a pull-based ReadableStream (not a TransformStream), so a consumer's
 * cancel reaches the hooks. A settle failure on the normal end errors the stream; on a source
 * error or a cancel, the original outcome wins.
 */
export function guardModelStream<P extends { type: string }>(
  source: ReadableStream<P>,
  hooks: ModelStreamHooks,
): ReadableStream<P> {
  const reader = source.getReader();
  const streamedInputs = new Set<unknown>();
  let finish: ReportedUsage | null = null;
  // A finish usage the adapter rejects must not break the caller's stream: settled as unreadable.
  let unreadable: { error: unknown } | undefined;
  let settled = false;
  const settle = async () => {
    if (settled) return;
    settled = true;
    await hooks.settled(finish, unreadable);
  };
  return new ReadableStream<P>({
    async pull(controller) {
      let next: ReadableStreamReadResult<P>;
      try {
        next = await reader.read();
      } catch (err) {
        try {
          await settle();
        } finally {
          controller.error(err);
        }
        return;
      }
      if (next.done) {
        await settle();
        controller.close();
        return;
      }
      const part = next.value as P & Part;
      if (part.type === "finish") {
        try {
          finish = usageOfAiSdk(part.usage, hooks.provider);
        } catch (error) {
          unreadable = { error };
        }
      } else tallyPart(hooks.output, part, streamedInputs);
      controller.enqueue(part);
    },
    async cancel(reason) {
      try {
        await settle();
      } finally {
        await reader.cancel(reason);
      }
    },
  });
}
