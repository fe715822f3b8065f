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
  /** Provider id (`openai`, `anthropic`, `google`, or an OTel `gen_ai.provider.name`), when known. */
  provider?: string;
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

/** Builds the result: a full `Usage` (one request unless told otherwise) plus model/provider when set. */
export function normalized(
  partial: Partial<Usage>,
  meta: { model?: string | null | undefined; provider?: string | null | undefined } = {},
): NormalizedUsage {
  const usage = makeUsage(partial);
  // Reasoning is priced as part of output; more reasoning than output would mean double pricing.
  minus(usage.outputTokens, usage.reasoningTokens, "usage", "reasoningTokens");
  const out: NormalizedUsage = { usage };
  if (meta.model) out.model = meta.model;
  if (meta.provider) out.provider = meta.provider;
  return out;
}

/** True when `raw` is a plain object (not null, not an array). */
export function isRecord(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === "object" && raw !== null && !Array.isArray(raw);
}
