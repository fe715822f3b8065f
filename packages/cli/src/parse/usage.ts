import type { Usage } from "@budget/core";
import type { Command } from "@commander-js/extra-typings";
import { parseCount } from "./values.js";

/** Usage flags and the field each fills. */
const USAGE_FLAGS = [
  ["input", "inputTokens", "input tokens billed at the input rate (cache excluded)"],
  ["output", "outputTokens", "output tokens (reasoning included)"],
  ["cache-read", "cacheReadTokens", "cache read tokens"],
  ["cache-write", "cacheWriteTokens", "5-minute cache write tokens"],
  ["cache-write-1h", "cacheWrite1hTokens", "1-hour cache write tokens"],
  ["reasoning", "reasoningTokens", "reasoning tokens (a subset of --output)"],
  ["input-audio", "inputAudioTokens", "input audio tokens"],
  ["output-audio", "outputAudioTokens", "output audio tokens"],
  ["input-images", "inputImages", "input images"],
  ["output-images", "outputImages", "output images"],
  ["output-image-tokens", "outputImageTokens", "image output tokens (Gemini image models)"],
  ["requests", "requests", "requests (default 1)"],
  ["web-searches", "webSearches", "web searches"],
] as const;

function camel(flag: string): string {
  return flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Adds `--input`, `--output`, `--cache-read`, … to a command. */
export function addUsageOptions<C extends Command<unknown[], Record<string, unknown>>>(cmd: C): C {
  for (const [flag, , help] of USAGE_FLAGS) cmd.option(`--${flag} <n>`, help, parseCount);
  return cmd;
}

/** Reads the usage flags back into a partial {@link Usage} (absent fields stay absent). */
export function usageFrom(opts: Record<string, unknown>): Partial<Usage> {
  const out: Partial<Usage> = {};
  for (const [flag, field] of USAGE_FLAGS) {
    const v = opts[camel(flag)];
    if (typeof v === "number") out[field] = v;
  }
  return out;
}
