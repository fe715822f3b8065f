/** The provider's own token total of a recorded body, read from the body's total field (test support). */

type Json = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === "number" ? v : 0);
const rec = (v: unknown): Json =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {};

/** The usage-carrying object of an OpenAI body, event or chunk list. */
function openAiUsage(raw: unknown): Json {
  if (Array.isArray(raw)) return openAiUsage(raw.findLast((c) => rec(c).usage || rec(c).response));
  const r = rec(raw);
  if (r.response) return rec(rec(r.response).usage);
  return rec(r.usage ?? r);
}

/** `total_tokens` (Chat, Responses, Realtime; OpenAI-compatible providers alike). */
export function openAiTotal(raw: unknown): number {
  return num(openAiUsage(raw).total_tokens);
}

/** The Messages API has no total: every billed count, over all iterations when there are any. */
export function anthropicTotal(raw: unknown): number {
  const events = Array.isArray(raw) ? raw : [raw];
  let usage: Json = {};
  for (const e of events) {
    const r = rec(e);
    const u = r.type === "message_start" ? rec(rec(r.message).usage) : rec(r.usage ?? r);
    usage = { ...usage, ...Object.fromEntries(Object.entries(u).filter(([, v]) => v != null)) };
  }
  const counts = (u: Json) =>
    num(u.input_tokens) +
    num(u.output_tokens) +
    num(u.cache_creation_input_tokens) +
    num(u.cache_read_input_tokens);
  const iterations = Array.isArray(usage.iterations) ? usage.iterations.map(rec) : [];
  return iterations.length > 0 ? iterations.reduce((s, it) => s + counts(it), 0) : counts(usage);
}

/** `usageMetadata.totalTokenCount` of the last chunk that has one. */
export function geminiTotal(raw: unknown): number {
  const chunks = Array.isArray(raw) ? raw : [raw];
  const last = rec(chunks.findLast((c) => rec(c).usageMetadata));
  return num(rec(last.usageMetadata).totalTokenCount);
}

/** Interactions `usage.total_tokens`. */
export function interactionsTotal(raw: unknown): number {
  return num(rec(rec(raw).usage).total_tokens);
}

/** Converse `usage.totalTokens`. */
export function converseTotal(raw: unknown): number {
  return num(rec(rec(raw).usage).totalTokens);
}

/** AI SDK `totalTokens`, or the v3 input total plus output total. */
export function aiSdkTotal(raw: unknown): number {
  const r = rec(raw);
  if (typeof r.totalTokens === "number") return r.totalTokens;
  return num(rec(r.inputTokens).total) + num(rec(r.outputTokens).total);
}

/** OTel GenAI: input (cache included, per the conventions) plus output. */
export function otelTotal(raw: unknown): number {
  const flat: Json = Array.isArray(raw)
    ? Object.fromEntries(raw.map((a) => [rec(a).key, Number(rec(rec(a).value).intValue ?? Number.NaN)]))
    : rec(raw);
  return num(flat["gen_ai.usage.input_tokens"]) + num(flat["gen_ai.usage.output_tokens"]);
}

/** The cost a provider reports in the body, in nano-USD: OpenRouter's `cost` (USD), xAI's `cost_in_usd_ticks` (1e-10 USD). */
export function reportedCostNano(raw: unknown): bigint | null {
  const u = openAiUsage(raw);
  if (typeof u.cost_in_usd_ticks === "number") return BigInt(u.cost_in_usd_ticks) / 10n;
  if (typeof u.cost === "number") return BigInt(Math.round(u.cost * 1e9));
  return null;
}
