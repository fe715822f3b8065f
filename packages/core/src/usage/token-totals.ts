import type { Usage } from "./usage.js";

/** Input-side tokens: text input, cache reads and writes, and audio input (what long-context tiers count). */
export function inputSideTokens(u: Usage): number {
  return (
    u.inputTokens +
    u.cacheReadTokens +
    u.cacheWriteTokens +
    u.cacheWrite1hTokens +
    u.inputAudioTokens +
    u.cacheAudioReadTokens
  );
}

/** All tokens the call consumed, counted once each (what token limits count). */
export function totalTokens(u: Usage): number {
  return inputSideTokens(u) + u.outputTokens + u.outputAudioTokens + u.outputImageTokens;
}
