import { readFileSync } from "node:fs";
import { extractUsage, findProvider } from "@pydantic/genai-prices";
import { expect } from "vitest";
import { USAGE_FIELDS, type Usage } from "../usage.js";

/** Test support for the adapter suites (not exported from the package). */

/** Reads one JSON fixture of ./fixtures. */
export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"));
}

/** Every field a non-negative safe integer, and reasoning within output. */
export function expectWellFormed(u: Usage): void {
  for (const f of USAGE_FIELDS) {
    expect(Number.isSafeInteger(u[f]) && u[f] >= 0, `${f} = ${u[f]}`).toBe(true);
  }
  expect(u.reasoningTokens).toBeLessThanOrEqual(u.outputTokens);
}

/**
 * Compares our usage with genai-prices' extraction of the same body. genai-prices counts
 * `input_tokens` with cache reads/writes and audio included, `output_tokens` with audio included,
 * and audio input with cached audio included; ours keeps those buckets disjoint.
 */
export function expectAgreesWithGenaiPrices(
  providerId: string,
  body: unknown,
  u: Usage,
  flavor?: string,
): void {
  const provider = findProvider({ providerId });
  if (!provider) throw new Error(`genai-prices has no provider ${providerId}`);
  const gp = extractUsage(provider, body, flavor).usage;
  const g = (k: string) => gp[k] ?? 0;
  expect({
    input:
      u.inputTokens +
      u.cacheReadTokens +
      u.cacheWriteTokens +
      u.cacheWrite1hTokens +
      u.inputAudioTokens +
      u.cacheAudioReadTokens,
    cacheRead: u.cacheReadTokens + u.cacheAudioReadTokens,
    cacheWrite: u.cacheWriteTokens + u.cacheWrite1hTokens,
    output: u.outputTokens + u.outputAudioTokens,
    reasoning: u.reasoningTokens,
    inputAudio: u.inputAudioTokens + u.cacheAudioReadTokens,
    outputAudio: u.outputAudioTokens,
  }).toEqual({
    input: g("input_tokens"),
    cacheRead: g("cache_read_tokens"),
    cacheWrite: g("cache_write_tokens"),
    output: g("output_tokens"),
    reasoning: g("output_reasoning_tokens"),
    inputAudio: g("input_audio_tokens"),
    outputAudio: g("output_audio_tokens"),
  });
  if (providerId === "anthropic") {
    expect(u.cacheWrite1hTokens).toBe(g("cache_write_1h_tokens"));
    expect(u.webSearches).toBe(g("web_searches"));
  }
}

/** Asserts `fn` throws a BudgetError("invalid_input") whose message names `field`. */
export function expectInvalid(fn: () => unknown, field: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toMatchObject({ name: "BudgetError", code: "invalid_input" });
    expect((err as Error).message).toContain(field);
    return;
  }
  throw new Error(`expected invalid_input naming ${field}`);
}
