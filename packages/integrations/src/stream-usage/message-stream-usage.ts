import { createAnthropicStreamUsage, type Usage } from "@budget/core";
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
 * cumulative final counts. Known only once a message_delta arrived; before it, output is not
 * final, so an estimate takes message_start's reported input side and counts the output deltas seen.
 */
export function messageStreamUsage(counter: TokenCounter): StreamUsage<unknown> {
  const acc = createAnthropicStreamUsage();
  const output = createOutputTally(counter);
  let started = false;
  let final = false;
  return {
    observe(item) {
      const event = item as StreamEvent;
      if (event.type === "message_start" || event.type === "message_delta") acc.push(item);
      if (event.type === "message_start") started = true;
      if (event.type === "message_delta") final = true;
      if (event.type === "content_block_delta") tallyDelta(output, event.delta);
      return true;
    },
    usage: (): Partial<Usage> | null => (final ? acc.usage().usage : null),
    estimate: (prompt) => output.usage(started ? promptSide(acc.usage().usage) : prompt),
  };
}
