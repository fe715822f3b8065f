import { countTokens } from "gpt-tokenizer";

/** One chat message as the mock reads it (text content only). */
export interface MockMessage {
  role: string;
  content?: unknown;
}

/** What the mock decided to answer for one request. */
export interface MockCompletionPlan {
  promptTokens: number;
  completionTokens: number;
  content: string;
  /** An HTTP status to fail with instead of answering (`[[fail=429]]`). */
  failStatus: number | null;
}

const TOKENS_DIRECTIVE = /\[\[tokens=(\d+)\]\]/;
const FAIL_DIRECTIVE = /\[\[fail=(\d{3})\]\]/;

/** The text of a message content: a string, or the text parts of a content array. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((p) => (p && typeof p === "object" && "text" in p && typeof p.text === "string" ? p.text : ""))
    .join("");
}

/**
 * Prompt tokens as OpenAI counts chat input: each message's text (o200k encoding) plus 3 tokens
 * of framing per message, plus 3 priming the reply.
 */
export function countPromptTokens(messages: readonly MockMessage[]): number {
  let n = 3;
  for (const m of messages) n += 3 + countTokens(textOf(m.content)) + countTokens(m.role);
  return n;
}

/**
 * Decides a deterministic answer. Completion tokens: `[[tokens=N]]` in the last message asks for
 * N (capped by the max), else half the max rounded up; the max is `max_completion_tokens`, else
 * `max_tokens`, else 100. `[[fail=NNN]]` answers with that HTTP status instead.
 */
export function planCompletion(input: {
  messages: readonly MockMessage[];
  maxTokens?: number | null | undefined;
}): MockCompletionPlan {
  const last = textOf(input.messages.at(-1)?.content);
  const fail = FAIL_DIRECTIVE.exec(last);
  const max = input.maxTokens ?? 100;
  const asked = TOKENS_DIRECTIVE.exec(last);
  const completionTokens = Math.max(0, Math.min(max, asked ? Number(asked[1]) : Math.ceil(max / 2)));
  return {
    promptTokens: countPromptTokens(input.messages),
    completionTokens,
    // " ok" is one token in OpenAI's encodings, so the content is as long as the usage says.
    content: " ok".repeat(completionTokens).trimStart(),
    failStatus: fail ? Number(fail[1]) : null,
  };
}
