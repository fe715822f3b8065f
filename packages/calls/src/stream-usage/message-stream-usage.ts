import {
  createAnthropicStreamUsage,
  type NormalizedUsage,
  type NormalizeOptions,
  type Usage,
} from "@budget/core";
import { createOutputTally, type OutputTally, promptSide } from "../estimate/output-tally.js";
import type { TokenCounter } from "../estimate/token-counter.js";
import type { StreamUsage } from "./stream-usage.js";

interface StreamEvent {
  type?: unknown;
  delta?: { type?: unknown; text?: unknown; thinking?: unknown; partial_json?: unknown };
}

function tallyDelta(tally: OutputTally, delta: StreamEvent["delta"]) {
  if (typeof delta?.text === "string") tally.text(delta.text);
  else if (typeof delta?.partial_json === "string") tally.text(delta.partial_json);
  else if (typeof delta?.thinking === "string") tally.reasoning(delta.thinking);
}

/**
 * Usage of a streamed Anthropic message: message_start carries the input side, message_delta the
 * cumulative final counts (and its compaction `iterations`). Known only once a message_delta
 * arrived; before it, output is not final, so an estimate takes message_start's reported input
 * side and counts the output deltas seen. `normalize` names the call's provider (Bedrock, Vertex
 * answer in this shape) and whether unknown fields are tagged or rejected.
 */
export function messageStreamUsage(counter: TokenCounter, normalize: NormalizeOptions): StreamUsage<unknown> {
  const acc = createAnthropicStreamUsage(normalize);
  const output = createOutputTally(counter);
  let started = false;
  let final = false;
  // A usage the adapter rejects must not break the caller's stream: kept, and thrown at settle.
  let unreadable: { error: unknown } | null = null;
  const reportedInput = (prompt: Partial<Usage>) => {
    try {
      return promptSide(acc.usage().usage);
    } catch {
      return prompt;
    }
  };
  return {
    observe(item) {
      const event = item as StreamEvent;
      if (event.type === "message_start" || event.type === "message_delta") {
        try {
          acc.push(item);
        } catch (error) {
          unreadable ??= { error };
        }
      }
      if (event.type === "message_start") started = true;
      if (event.type === "message_delta") final = true;
      if (event.type === "content_block_delta") tallyDelta(output, event.delta);
      return true;
    },
    usage: (): NormalizedUsage | null => {
      if (unreadable) throw unreadable.error;
      return final ? acc.usage() : null;
    },
    estimate: (prompt) => output.usage(started && !unreadable ? reportedInput(prompt) : prompt),
  };
}
