import { type NormalizedUsage, type NormalizeOptions, normalizeOpenAiUsage } from "@budget/core";
import { createOutputTally, type OutputTally } from "../estimate/output-tally.js";
import type { TokenCounter } from "../estimate/token-counter.js";
import type { StreamUsage } from "./stream-usage.js";

interface Delta {
  content?: unknown;
  refusal?: unknown;
  /** Reasoning as OpenAI-compatible servers stream it (DeepSeek, OpenRouter, vLLM). */
  reasoning_content?: unknown;
  reasoning?: unknown;
  tool_calls?: { function?: { name?: unknown; arguments?: unknown } }[];
}

interface Chunk {
  choices?: { delta?: Delta }[];
  usage?: unknown;
}

function tallyDelta(tally: OutputTally, delta: Delta | undefined) {
  if (!delta) return;
  for (const text of [delta.content, delta.refusal]) if (typeof text === "string") tally.text(text);
  for (const text of [delta.reasoning_content, delta.reasoning])
    if (typeof text === "string") tally.reasoning(text);
  for (const call of delta.tool_calls ?? []) {
    for (const text of [call.function?.name, call.function?.arguments])
      if (typeof text === "string") tally.text(text);
  }
}

/** True for the usage-only chunk `stream_options.include_usage` adds (usage, and no choices). */
export function isUsageOnlyChunk(item: unknown): boolean {
  const chunk = item as Chunk | null;
  return Boolean(chunk?.usage) && Array.isArray(chunk?.choices) && chunk.choices.length === 0;
}

/**
 * Usage of a streamed chat completion: the last chunk carries it (with `include_usage`); the
 * output deltas are tallied for an estimate when it never comes. With `hideUsageChunk`, the
 * usage-only chunk is hidden (the caller did not ask for it; it was requested for budgeting).
 * `normalize` names the call's provider (whose semantics apply: DeepSeek, xAI, OpenRouter answer
 * in this shape) and whether unknown fields are tagged or rejected.
 */
export function chatStreamUsage(
  counter: TokenCounter,
  hideUsageChunk: boolean,
  normalize: NormalizeOptions,
): StreamUsage<unknown> {
  // Kept raw and read at the end: a usage the adapter rejects must not break the caller's stream.
  let raw: unknown = null;
  const output = createOutputTally(counter);
  return {
    observe(item) {
      const chunk = item as Chunk;
      if (chunk.usage) raw = chunk.usage;
      for (const choice of chunk.choices ?? []) tallyDelta(output, choice.delta);
      return !(hideUsageChunk && isUsageOnlyChunk(chunk));
    },
    usage: (): NormalizedUsage | null => (raw ? normalizeOpenAiUsage(raw, normalize) : null),
    estimate: (prompt) => output.usage(prompt),
  };
}
