import type { Usage } from "@budget/core";
import { usageOfAiSdk } from "./usage-of.js";

/** What a guarded model stream reports. */
export interface ModelStreamHooks {
  /** The stream ended after its `finish` part; usage null when the provider reported none. */
  finished(usage: Partial<Usage> | null): Promise<void>;
  /** The stream failed, was cancelled or ended without a `finish` part. */
  abandoned(): Promise<void>;
}

/**
 * Passes a `LanguageModelV3StreamPart` stream through, watching for its `finish` part. Built as a
 * pull-based ReadableStream (not a TransformStream), so a consumer's cancel reaches the hooks.
 */
export function guardModelStream<Part extends { type: string }>(
  source: ReadableStream<Part>,
  hooks: ModelStreamHooks,
): ReadableStream<Part> {
  const reader = source.getReader();
  let finish: { usage: Partial<Usage> | null } | null = null;
  let settled = false;
  const settle = async (work: () => Promise<void>) => {
    if (settled) return;
    settled = true;
    await work();
  };
  return new ReadableStream<Part>({
    async pull(controller) {
      let next: ReadableStreamReadResult<Part>;
      try {
        next = await reader.read();
      } catch (err) {
        await settle(hooks.abandoned);
        controller.error(err);
        return;
      }
      if (next.done) {
        const seen = finish;
        await settle(() => (seen ? hooks.finished(seen.usage) : hooks.abandoned()));
        controller.close();
        return;
      }
      const part = next.value;
      if (part.type === "finish") finish = { usage: usageOfAiSdk((part as { usage?: unknown }).usage) };
      controller.enqueue(part);
    },
    async cancel(reason) {
      const seen = finish;
      // Cancelled after the finish part: the call completed and was billed.
      await settle(() => (seen ? hooks.finished(seen.usage) : hooks.abandoned()));
      await reader.cancel(reason);
    },
  });
}
