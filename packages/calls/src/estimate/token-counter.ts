import { countTokens as countO200k } from "gpt-tokenizer";

/** How a count was made: exactly with the model's tokenizer, or with the character heuristic. */
export type CountMethod = "o200k_base" | "cl100k_base" | "heuristic";

/** Counts the tokens of a text for one model family. */
export interface TokenCounter {
  readonly method: CountMethod;
  count(text: string): number;
}

/** ASCII characters per token assumed by the heuristic; lower than the ~4 typical of English, so it over-counts. */
export const HEURISTIC_CHARS_PER_TOKEN = 3.5;

/**
 * Conservative estimate for tokenizers we do not ship (Claude, Gemini, Llama...): ASCII text at
 * {@link HEURISTIC_CHARS_PER_TOKEN} characters per token, rounded up, and one token per
 * non-ASCII code point (CJK and emoji often take one or more tokens each).
 */
export function heuristicTokenCount(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 128) ascii += 1;
    else other += 1;
  }
  return Math.ceil(ascii / HEURISTIC_CHARS_PER_TOKEN) + other;
}

const heuristic: TokenCounter = { method: "heuristic", count: heuristicTokenCount };
const o200k: TokenCounter = { method: "o200k_base", count: (text) => countO200k(text) };
let cl100k: Promise<TokenCounter> | undefined;

// gpt-4 (not 4o/4.1/4.5), gpt-3.5 and ada-002 use cl100k_base; newer OpenAI models use o200k_base.
const CL100K = /^(gpt-4(?![o.])|gpt-3\.5|text-embedding-ada-002|text-embedding-3)/;
const O200K = /^(gpt-|chatgpt-|o\d|codex-|computer-use)/;

/** The model id without a provider prefix such as `openai/` or `azure/`. */
function bareModel(model: string): string {
  return model.toLowerCase().split("/").at(-1) ?? model;
}

/**
 * The token counter for `model`: OpenAI's own encodings (via gpt-tokenizer) for OpenAI models,
 * the documented character heuristic otherwise. cl100k ranks load lazily, on first use.
 *
 * @example
 * const counter = await tokenCounterFor("gpt-4o"); counter.count("hello world") // 2
 */
export async function tokenCounterFor(model: string): Promise<TokenCounter> {
  const bare = bareModel(model);
  if (CL100K.test(bare)) return counterForMethod("cl100k_base");
  return O200K.test(bare) ? o200k : heuristic;
}

/** The counter of one method, whatever the model. */
export async function counterForMethod(method: CountMethod): Promise<TokenCounter> {
  if (method === "o200k_base") return o200k;
  if (method === "heuristic") return heuristic;
  cl100k ??= import("gpt-tokenizer/encoding/cl100k_base").then((m) => ({
    method: "cl100k_base" as const,
    count: (text: string) => m.countTokens(text),
  }));
  return cl100k;
}
