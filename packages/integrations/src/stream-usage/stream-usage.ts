import type { Usage } from "@budget/core";

/** Accumulates a stream's usage as its items (parsed events or chunks) pass. */
export interface StreamUsage<Item = unknown> {
  /** Sees each item; `false` hides it from the consumer (a usage chunk the caller did not ask for). */
  observe(item: Item): boolean | undefined;
  /** The final usage, or null when the stream ended before reporting it. */
  usage(): Partial<Usage> | null;
  /**
   * What the stream consumed so far, for when it ends without {@link usage}: the input side the
   * provider reported, else `prompt` (the reservation's input side), plus the output seen, counted.
   */
  estimate(prompt: Partial<Usage>): Partial<Usage>;
}
