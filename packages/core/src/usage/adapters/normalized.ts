import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { makeUsage, type Usage } from "../usage.js";

/**
 * What every usage adapter returns: the normalized usage plus the model and provider when the
 * raw shape names them (a response body, span attributes), so callers can price it.
 */
export interface NormalizedUsage {
  usage: Usage;
  /** Model id as the provider reported it (e.g. the dated id), when the shape carries one. */
  model?: string;
  /**
   * Provider id as the CALL names it (`options.provider`: from the base URL, a model prefix or the
   * caller's dimension), or as span attributes record it; never guessed from the shape, since one
   * shape (OpenAI-compatible chat, Anthropic Messages) is spoken by many providers.
   */
  provider?: string;
  /**
   * Token-carrying fields the adapter does not understand, when `unknownFields: "tag"` let them
   * through: the usage event must be tagged {@link UNVERIFIED_TAG}. Absent when every field was understood.
   */
  unverified?: string[];
  /**
   * Usage billed on other models within the same call (Anthropic advisor iterations), one entry per
   * model: each is recorded as its own usage event, never folded into this one or dropped.
   */
  others?: NormalizedUsage[];
}

/** Tag of a usage event whose raw usage carried fields the adapter did not understand. */
export const UNVERIFIED_TAG = "unverified";

/** Options every usage adapter takes. */
export interface NormalizeOptions {
  /** The call's provider label (see {@link NormalizedUsage.provider}); copied to the result. */
  provider?: string;
  /**
   * What a non-zero count in a field the adapter does not understand does: `reject` (the default)
   * throws `invalid_input` naming the fields; `tag` normalizes what is understood and lists them in
   * `unverified`. Never a silent zero either way.
   */
  unknownFields?: "reject" | "tag";
}

/** A token count as providers send it: a non-negative safe integer (NaN, fractions, negatives rejected). */
export const tokenCountSchema = z
  .number()
  .int("must be an integer")
  .nonnegative("must not be negative")
  .max(Number.MAX_SAFE_INTEGER);

/** An optional count; providers send `null` for "not applicable", which reads as absent. */
export const optionalCountSchema = tokenCountSchema.nullish();

/** `value ?? 0`, for optional counts. */
export function n(value: number | null | undefined): number {
  return value ?? 0;
}

/**
 * `whole - part`, where the provider says `part` is contained in `whole`. A negative result means
 * the provider's numbers are inconsistent: reject rather than record negative tokens.
 */
export function minus(whole: number, part: number, what: string, field: string): number {
  if (part > whole) {
    throw new BudgetError("invalid_input", `${what}.${field}: ${part} exceeds ${whole}, which includes it`, {
      field: `${what}.${field}`,
      whole,
      part,
    });
  }
  return whole - part;
}

/** What {@link normalized} attaches to a usage. */
export interface NormalizedMeta {
  model?: string | null | undefined;
  provider?: string | null | undefined;
  /** Paths of non-zero counts the adapter did not understand (see {@link unknownCounts}). */
  unknown?: readonly string[];
  others?: NormalizedUsage[];
}

/**
 * Builds the result: a full `Usage` (one request unless told otherwise) plus model/provider when
 * set. Unknown counts throw `invalid_input` naming them, unless `options.unknownFields` is `tag`.
 */
export function normalized(
  partial: Partial<Usage>,
  meta: NormalizedMeta = {},
  options: NormalizeOptions = {},
): NormalizedUsage {
  const usage = makeUsage(partial);
  // Reasoning is priced as part of output; more reasoning than output would mean double pricing.
  minus(usage.outputTokens, usage.reasoningTokens, "usage", "reasoningTokens");
  const unknown = meta.unknown ?? [];
  if (unknown.length > 0 && options.unknownFields !== "tag") {
    throw new BudgetError(
      "invalid_input",
      `${unknown.join(", ")}: token field${unknown.length > 1 ? "s" : ""} this adapter does not understand ` +
        `(not recorded as zero; pass unknownFields: "tag" to record the rest tagged "${UNVERIFIED_TAG}")`,
      { field: unknown[0], fields: unknown },
    );
  }
  const out: NormalizedUsage = { usage };
  if (meta.model) out.model = meta.model;
  const provider = options.provider ?? meta.provider;
  if (provider) out.provider = provider;
  if (unknown.length > 0) out.unverified = [...unknown];
  if (meta.others && meta.others.length > 0) out.others = meta.others;
  return out;
}

/** Names of numbers that are money or time, never tokens (a gateway's `cost_estimate`, Groq's `queue_time`). */
const NOT_TOKENS = /cost|price|usd|time|latency|duration/i;

/**
 * Paths (`usage.x.y`, arrays as `[]`) of the non-zero numbers in `raw` that are not in `known`:
 * counts the adapter would otherwise drop. A zero carries no tokens, so it is never reported; nor
 * is a number named as money or time.
 */
export function unknownCounts(raw: unknown, known: ReadonlySet<string>, what: string): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, path: string, rel: string) => {
    if (typeof value === "number") {
      if (value !== 0 && !known.has(rel) && !NOT_TOKENS.test(rel.slice(rel.lastIndexOf(".") + 1)))
        found.add(path);
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item, `${path}[]`, `${rel}[]`);
    } else if (isRecord(value)) {
      for (const [key, v] of Object.entries(value)) walk(v, `${path}.${key}`, rel ? `${rel}.${key}` : key);
    }
  };
  walk(raw, what, "");
  return [...found];
}

/** Throws `invalid_input` when none of `fields` is a number in `raw`: a shape without counts is no usage. */
export function requireSomeCount(
  raw: Record<string, unknown>,
  fields: readonly string[],
  what: string,
): void {
  if (fields.some((f) => typeof raw[f] === "number")) return;
  throw new BudgetError("invalid_input", `${what}: none of ${fields.join(", ")} is present`, {
    field: `${what}.${fields[0]}`,
    expected: fields,
  });
}

/** True when `raw` is a plain object (not null, not an array). */
export function isRecord(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw);
}
