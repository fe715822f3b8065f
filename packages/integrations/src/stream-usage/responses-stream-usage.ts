import { normalizeOpenAiUsage, type Usage } from "@budget/core";
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

/** Usage of a streamed response: `response.completed` (or `.incomplete`/`.failed`) carries it. */
export function responsesStreamUsage(counter: TokenCounter): StreamUsage<unknown> {
  let usage: Usage | null = null;
  const output = createOutputTally(counter);
  return {
    observe(item) {
      const event = item as ResponseEvent;
      if (event.type?.startsWith("response.") && event.response?.usage) {
        usage = normalizeOpenAiUsage(event).usage;
      }
      if (typeof event.delta === "string" && event.type) {
        if (OUTPUT_DELTAS.has(event.type)) output.text(event.delta);
        else if (REASONING_DELTAS.has(event.type)) output.reasoning(event.delta);
      }
      return true;
    },
    usage: () => usage,
    estimate: (prompt) => output.usage(prompt),
  };
}
