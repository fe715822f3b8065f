import { inputSideTokens, makeUsage, type PriceVersion, type Usage, utcSeconds } from "@budget/core";
import type { Usage as GenaiUsage } from "@pydantic/genai-prices";

/** One comparison: a bundled version, the instant and a usage. */
export interface OracleCase {
  version: PriceVersion;
  /** Epoch ms inside the version's effective interval, at one of several times of day. */
  at: number;
  usage: Usage;
  feature: string;
}

/** A small seeded PRNG (mulberry32): the same cases on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Our usage as genai-prices counts it: its `input_tokens` includes cache and audio input, its
 * `cache_write_tokens` includes 1-hour writes, its `output_tokens` includes reasoning, audio and image output.
 */
export function toGenaiUsage(u: Usage): GenaiUsage {
  return {
    input_tokens: inputSideTokens(u),
    cache_read_tokens: u.cacheReadTokens + u.cacheAudioReadTokens,
    cache_write_tokens: u.cacheWriteTokens + u.cacheWrite1hTokens,
    cache_write_1h_tokens: u.cacheWrite1hTokens,
    input_audio_tokens: u.inputAudioTokens + u.cacheAudioReadTokens,
    cache_audio_read_tokens: u.cacheAudioReadTokens,
    output_tokens: u.outputTokens + u.outputAudioTokens + u.outputImageTokens,
    output_reasoning_tokens: u.reasoningTokens,
    output_audio_tokens: u.outputAudioTokens,
    output_image_tokens: u.outputImageTokens,
    web_searches: u.webSearches,
  };
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const DEFAULT_DAY = Date.UTC(2025, 2, 1);

/** UTC midnight of a day inside `[effectiveFrom, effectiveTo)`. */
function dayIn(v: PriceVersion): number {
  if (v.effectiveFrom === 0) {
    return v.effectiveTo === null || v.effectiveTo >= DEFAULT_DAY + DAY_MS
      ? DEFAULT_DAY
      : v.effectiveTo - DAY_MS;
  }
  return v.effectiveFrom;
}

/** Times of day every version is priced at (ms after UTC midnight). */
const EVERY_VERSION_TIMES = [3 * HOUR_MS, 12 * HOUR_MS, 20 * HOUR_MS];

/** Times of day of a scheduled version: both sides of every window edge, and inside each window. */
function scheduleTimes(v: PriceVersion): number[] {
  const times = new Set(EVERY_VERSION_TIMES);
  for (const w of v.schedule ?? []) {
    for (const edge of [utcSeconds(w.startUtc), utcSeconds(w.endUtc)]) {
      times.add(edge * 1000);
      times.add((edge * 1000 - 1 + DAY_MS) % DAY_MS);
    }
  }
  return [...times].sort((a, b) => a - b);
}

/** Instants inside the version's interval at which its cases are priced, several times of day. */
export function instantsIn(v: PriceVersion): number[] {
  const day = dayIn(v);
  const times = v.schedule ? scheduleTimes(v) : EVERY_VERSION_TIMES;
  return times
    .map((t) => day + t)
    .filter((at) => at >= v.effectiveFrom && (v.effectiveTo === null || at < v.effectiveTo));
}

function tierStarts(v: PriceVersion): number[] {
  const starts = new Set<number>();
  for (const rate of Object.values(v.tokenRates)) {
    if (rate !== undefined && typeof rate !== "string") for (const t of rate.tiers) starts.add(t.startTokens);
  }
  return [...starts];
}

/** Usages exercising the features a version prices, plus one plain text call. */
function usagesFor(v: PriceVersion, rand: () => number): { feature: string; usage: Usage }[] {
  const n = (max: number) => Math.floor(rand() * max);
  const r = v.tokenRates;
  const out: { feature: string; usage: Usage }[] = [
    { feature: "text", usage: makeUsage({ inputTokens: n(20_000), outputTokens: n(4_000) }) },
  ];
  if (r.cacheRead || r.cacheWrite) {
    out.push({
      feature: "cache",
      usage: makeUsage({
        inputTokens: n(5_000),
        cacheReadTokens: n(100_000),
        cacheWriteTokens: n(20_000),
        outputTokens: n(2_000),
      }),
    });
  }
  if (r.cacheWrite1h) {
    const usage = makeUsage({
      inputTokens: n(3_000),
      cacheWriteTokens: n(9_000),
      cacheWrite1hTokens: n(50_000),
    });
    out.push({ feature: "cache_1h", usage: { ...usage, outputTokens: n(1_000) } });
  }
  if (r.reasoning || n(4) === 0) {
    const outputTokens = n(30_000);
    out.push({
      feature: "reasoning",
      usage: makeUsage({
        inputTokens: n(8_000),
        outputTokens,
        reasoningTokens: Math.floor(outputTokens * rand()),
      }),
    });
  }
  if (r.inputAudio || r.outputAudio || r.cacheAudioRead) {
    const usage = makeUsage({
      inputTokens: n(2_000),
      inputAudioTokens: n(40_000),
      outputTokens: n(1_000),
      outputAudioTokens: n(20_000),
    });
    if (r.cacheRead || r.cacheAudioRead) usage.cacheAudioReadTokens = n(10_000);
    out.push({ feature: "audio", usage });
  }
  for (const start of tierStarts(v)) {
    // Exactly at the threshold (base rate applies), one past it, and well past it.
    for (const extra of [0, 1, 1 + n(100_000)]) {
      const cacheReadTokens = r.cacheRead ? n(start / 4) : 0;
      out.push({
        feature: "long_context_tier",
        usage: makeUsage({
          inputTokens: start + extra - cacheReadTokens,
          cacheReadTokens,
          outputTokens: n(8_000),
        }),
      });
    }
  }
  if (v.unitRates.webSearch) {
    out.push({
      feature: "web_search",
      usage: makeUsage({ inputTokens: n(10_000), outputTokens: n(1_000), webSearches: 1 + n(5) }),
    });
  }
  if (v.unitRates.request) {
    out.push({ feature: "request", usage: makeUsage({ inputTokens: n(1_000), outputTokens: n(500) }) });
  }
  return out;
}

/** Every bundled version's cases, deterministic for a seed. */
export function generateOracleCases(versions: readonly PriceVersion[], seed = 20_250_301): OracleCase[] {
  const rand = seededRandom(seed);
  return versions.flatMap((version) => {
    const instants = instantsIn(version);
    return usagesFor(version, rand).flatMap(({ feature, usage }) =>
      instants.map((at) => ({ version, at, usage, feature })),
    );
  });
}
