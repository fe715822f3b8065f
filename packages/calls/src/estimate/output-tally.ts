import type { Usage } from "@budget/core";
import type { TokenCounter } from "./token-counter.js";

/**
 * The output a stream showed so far, for estimating what a stream that ends without reported
 * usage (aborted, abandoned, failed, or a server that sends none) consumed.
 */
export interface OutputTally {
  /** Adds output text, a refusal, or tool-call arguments or names as they stream. */
  text(delta: string): void;
  /** Adds visible reasoning: counted as output and as its `reasoningTokens` subset. */
  reasoning(delta: string): void;
  /**
   * `prompt` (the input side: reported by the provider, or the reservation's estimate) plus the
   * output seen so far, counted with the call's token counter.
   */
  usage(prompt: Partial<Usage>): Partial<Usage>;
}

/**
 * An {@link OutputTally} counting with `counter`. Text is kept and counted once at the end, since
 * tokens span the boundaries of stream deltas.
 *
 * @example
 * const tally = createOutputTally(await tokenCounterFor("gpt-4o"));
 * tally.text("Hello"); tally.text(" world");
 * tally.usage({ inputTokens: 12 }) // → { inputTokens: 12, outputTokens: 2, reasoningTokens: 0 }
 */
export function createOutputTally(counter: TokenCounter): OutputTally {
  const text: string[] = [];
  const reasoning: string[] = [];
  return {
    text: (delta) => {
      text.push(delta);
    },
    reasoning: (delta) => {
      reasoning.push(delta);
    },
    usage(prompt) {
      const reasoningTokens = counter.count(reasoning.join(""));
      return { ...prompt, outputTokens: counter.count(text.join("")) + reasoningTokens, reasoningTokens };
    },
  };
}

const OUTPUT_FIELDS = new Set<keyof Usage>([
  "outputTokens",
  "reasoningTokens",
  "outputAudioTokens",
  "outputImages",
  "outputImageTokens",
]);

/** The input side of a usage (prompt, cache, input media, requests, searches): its output fields dropped. */
export function promptSide(usage: Partial<Usage>): Partial<Usage> {
  return Object.fromEntries(
    Object.entries(usage).filter(([k]) => !OUTPUT_FIELDS.has(k as keyof Usage)),
  ) as Partial<Usage>;
}
