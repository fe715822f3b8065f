import type { Amounts } from "../ports/store.js";
import type { Usage } from "../usage/usage.js";

/** What the blocking limit has room for: its cap minus what is used and held (absent: not limited). */
export interface Room {
  tokens?: number;
  costNanoUsd?: bigint;
  /** Whether the request's other amounts (requests, a concurrency slot) fit: shrinking output cannot help them. */
  othersFit: boolean;
}

/** `usage` with its output capped at `outputTokens` (reasoning stays a subset of it). */
export function withOutputTokens(usage: Usage, outputTokens: number): Usage {
  return { ...usage, outputTokens, reasoningTokens: Math.min(usage.reasoningTokens, outputTokens) };
}

/**
 * The most output tokens, at least `min` and below `tried`, whose amounts fit `room` — tokens
 * exactly, cost by bisection over `costOf` (monotone in output tokens) — or null when not even
 * `min` fits.
 */
export function fitOutputTokens(input: {
  room: Room;
  /** The amounts of the estimate as last tried, with `tried` output tokens. */
  amounts: Amounts;
  tried: number;
  min: number;
  costOf: (outputTokens: number) => bigint | null;
}): number | null {
  const { room, amounts, tried, min, costOf } = input;
  if (!room.othersFit || tried <= min) return null;
  let hi = tried - 1;
  if (room.tokens !== undefined) hi = Math.min(hi, tried - (amounts.tokens - room.tokens));
  if (hi < min) return null;
  const budget = room.costNanoUsd;
  if (budget === undefined) return hi;
  const fits = (o: number) => {
    const c = costOf(o);
    return c !== null && c <= budget;
  };
  if (fits(hi)) return hi;
  if (!fits(min)) return null;
  let lo = min; // fits; hi does not
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
