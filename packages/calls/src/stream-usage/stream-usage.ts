import type { NormalizedUsage, Usage } from "@budget/core";

/** Accumulates a stream's usage as its items (parsed events or chunks) pass. */
export interface StreamUsage<Item = unknown> {
  /**
   * Sees each item; `false` hides it from the consumer (a usage chunk the caller did not ask for).
   * Never throws on a usage it cannot read: that waits for {@link usage}, so the stream goes on.
   */
  observe(item: Item): boolean | undefined;
  /**
   * The final usage, normalized (its `unverified` fields and `others` models included), read when
   * the stream ends; null when the stream ended before reporting it. Throws when the reported
   * usage cannot be read (an inconsistent body), so the call is settled as unreadable, never as zero.
   */
  usage(): NormalizedUsage | null;
  /**
   * What the stream consumed so far, for when it ends without {@link usage}: the input side the
   * provider reported, else `prompt` (the reservation's input side), plus the output seen, counted.
   */
  estimate(prompt: Partial<Usage>): Partial<Usage>;
}
