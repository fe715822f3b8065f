import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
import {
  isRecord,
  minus,
  type NormalizedUsage,
  type NormalizeOptions,
  normalized,
  optionalCountSchema,
  requireSomeCount,
  tokenCountSchema,
  unknownCounts,
} from "./normalized.js";

/** Bedrock Converse `TokenUsage` (the AWS SDK's and the wire's; boto3 adds `*TokenCount` aliases). */
const tokenUsageSchema = z.object({
  inputTokens: tokenCountSchema,
  outputTokens: tokenCountSchema,
  totalTokens: optionalCountSchema,
  cacheReadInputTokens: optionalCountSchema,
  cacheWriteInputTokens: optionalCountSchema,
  cacheReadInputTokenCount: optionalCountSchema,
  cacheWriteInputTokenCount: optionalCountSchema,
  cacheDetails: z.array(z.object({ inputTokens: tokenCountSchema, ttl: z.string() })).nullish(),
});

/** The counts of a Converse `usage`. */
export const CONVERSE_COUNT_FIELDS = ["inputTokens", "outputTokens", "totalTokens"] as const;

const KNOWN: ReadonlySet<string> = new Set([
  "inputTokens",
  "outputTokens",
  "totalTokens",
  "cacheReadInputTokens",
  "cacheWriteInputTokens",
  "cacheReadInputTokenCount",
  "cacheWriteInputTokenCount",
  "cacheDetails[].inputTokens",
]);

/** The one value of a field and its alias; two that disagree are rejected. */
function aliased(a: number | null | undefined, b: number | null | undefined, field: string): number {
  if (a != null && b != null && a !== b) {
    throw new BudgetError("invalid_input", `usage.${field}Count: ${b} ≠ usage.${field} (${a})`, {
      field: `usage.${field}Count`,
    });
  }
  return a ?? b ?? 0;
}

/**
 * Normalizes Amazon Bedrock Converse / ConverseStream usage (a Converse response, the stream's
 * `metadata` event, or the bare `usage`). `inputTokens` excludes cache reads and writes, which
 * come on top; `totalTokens` is their sum with output; `cacheDetails` splits the writes by TTL
 * (`5m`, `1h`). Converse reports no reasoning count (it is inside `outputTokens`).
 *
 * @example
 * normalizeBedrockConverseUsage({ usage: { inputTokens: 433, outputTokens: 16,
 *   cacheReadInputTokens: 2752, totalTokens: 3201 } }).usage
 * // → inputTokens 433, cacheReadTokens 2752, outputTokens 16
 */
export function normalizeBedrockConverseUsage(raw: unknown, options: NormalizeOptions = {}): NormalizedUsage {
  const inner = isRecord(raw) && isRecord(raw.metadata) ? raw.metadata : raw;
  const body = isRecord(inner) && isRecord(inner.usage) ? inner : { usage: inner };
  if (!isRecord(body.usage))
    throw new BudgetError("invalid_input", "usage: expected an object", { field: "usage" });
  requireSomeCount(body.usage, CONVERSE_COUNT_FIELDS, "usage");
  const u = validate(tokenUsageSchema, body.usage, "usage");
  const read = aliased(u.cacheReadInputTokens, u.cacheReadInputTokenCount, "cacheReadInputToken");
  const write = aliased(u.cacheWriteInputTokens, u.cacheWriteInputTokenCount, "cacheWriteInputToken");
  const sum = u.inputTokens + u.outputTokens + read + write;
  if (u.totalTokens != null && u.totalTokens !== sum) {
    throw new BudgetError(
      "invalid_input",
      `usage.totalTokens: ${u.totalTokens} ≠ input + output + cache read + cache write (${sum})`,
      {
        field: "usage.totalTokens",
      },
    );
  }
  const unknown = unknownCounts(body.usage, KNOWN, "usage");
  let w1h = 0;
  for (const d of u.cacheDetails ?? []) {
    if (d.ttl === "1h") w1h += d.inputTokens;
    else if (d.ttl !== "5m") unknown.push(`usage.cacheDetails.${d.ttl}`);
  }
  const model = isRecord(raw) && typeof raw.modelId === "string" ? raw.modelId : undefined;
  return normalized(
    {
      inputTokens: u.inputTokens,
      cacheReadTokens: read,
      cacheWriteTokens: minus(write, w1h, "usage", "cacheDetails"),
      cacheWrite1hTokens: w1h,
      outputTokens: u.outputTokens,
    },
    { model, unknown },
    options,
  );
}
