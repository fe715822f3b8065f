import { type NormalizedUsage, type NormalizeOptions, normalizeOpenAiUsage } from "@budget/core";
import { createOutputTally } from "../estimate/output-tally.js";
import type { TokenCounter } from "../estimate/token-counter.js";
import type { StreamUsage } from "./stream-usage.js";

interface ResponseEvent {
  type?: string;
  response?: { usage?: unknown };
  delta?: unknown;
}

// Events whose `delta` is model output: text, refusals, tool-call arguments (audio is not text).
const OUTPUT_DELTAS = new Set([
  "response.output_text.delta",
  "response.refusal.delta",
  "response.function_call_arguments.delta",
  "response.custom_tool_call_input.delta",
  "response.mcp_call_arguments.delta",
]);
const REASONING_DELTAS = new Set(["response.reasoning_text.delta", "response.reasoning_summary_text.delta"]);

/**
 * Usage of a streamed response: `response.completed` (or `.incomplete`/`.failed`) carries it,
 * normalized with `normalize` (the call's provider, unknown fields tagged or rejected).
 */
export function responsesStreamUsage(
  counter: TokenCounter,
  normalize: NormalizeOptions,
): StreamUsage<unknown> {
  // Kept raw and read at the end: a usage the adapter rejects must not break the caller's stream.
  let raw: unknown = null;
  const output = createOutputTally(counter);
  return {
    observe(item) {
      const event = item as ResponseEvent;
      // The whole event, so web_search_call items of the final response count as searches.
      if (event.type?.startsWith("response.") && event.response?.usage) raw = event;
      if (typeof event.delta === "string" && event.type) {
        if (OUTPUT_DELTAS.has(event.type)) output.text(event.delta);
        else if (REASONING_DELTAS.has(event.type)) output.reasoning(event.delta);
      }
      return true;
    },
    usage: (): NormalizedUsage | null => (raw ? normalizeOpenAiUsage(raw, normalize) : null),
    estimate: (prompt) => output.usage(prompt),
  };
}
