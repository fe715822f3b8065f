import { z } from "zod";
import { BudgetError } from "../../errors/budget-error.js";
import { validate } from "../../errors/validate.js";
import {
  isRecord,
  minus,
  type NormalizedUsage,
  type NormalizeOptions,
  n,
  normalized,
  optionalCountSchema,
} from "./normalized.js";

const attributesSchema = z.object({
  "gen_ai.usage.input_tokens": optionalCountSchema,
  "gen_ai.usage.output_tokens": optionalCountSchema,
  // Names used before semconv 1.27; read when the current ones are absent.
  "gen_ai.usage.prompt_tokens": optionalCountSchema,
  "gen_ai.usage.completion_tokens": optionalCountSchema,
  "gen_ai.usage.cache_read.input_tokens": optionalCountSchema,
  "gen_ai.usage.cache_creation.input_tokens": optionalCountSchema,
  "gen_ai.usage.reasoning.output_tokens": optionalCountSchema,
  // OpenLLMetry (Traceloop) `SpanAttributes` names.
  "gen_ai.usage.reasoning_tokens": optionalCountSchema,
  "gen_ai.usage.cache_read_input_tokens": optionalCountSchema,
  "gen_ai.usage.cache_creation_input_tokens": optionalCountSchema,
  "gen_ai.usage.total_tokens": optionalCountSchema,
  "llm.usage.total_tokens": optionalCountSchema,
  "gen_ai.provider.name": z.string().nullish(),
  "gen_ai.system": z.string().nullish(),
  "gen_ai.request.model": z.string().nullish(),
  "gen_ai.response.model": z.string().nullish(),
});

/** One OTLP/JSON attribute: `{ key, value: { intValue | doubleValue | stringValue | … } }`. */
const otlpAttributeSchema = z.object({
  key: z.string(),
  value: z
    .object({
      // OTLP/JSON encodes int64 as a decimal string.
      intValue: z
        .union([
          z.number(),
          z
            .string()
            .regex(/^-?\d+$/, "must be an integer")
            .transform(Number),
        ])
        .nullish(),
      doubleValue: z.number().nullish(),
      stringValue: z.string().nullish(),
      boolValue: z.boolean().nullish(),
    })
    .nullish(),
});

/** Options for {@link normalizeOtelGenAiUsage}. */
export interface OtelGenAiUsageOptions extends NormalizeOptions {
  /**
   * Whether `gen_ai.usage.input_tokens` includes the cache read and creation tokens. The semantic
   * conventions say it SHOULD (the default, true); pass false for emitters that report Anthropic's
   * `input_tokens` verbatim, with cache tokens on top.
   */
  inputIncludesCache?: boolean;
}

/** Flattens OTLP/JSON `[{ key, value }]` attributes into a plain record; plain records pass through. */
function flatten(raw: unknown): unknown {
  if (!Array.isArray(raw)) return raw;
  const list = validate(z.array(otlpAttributeSchema), raw, "attributes");
  const out: Record<string, unknown> = {};
  for (const { key, value } of list) {
    out[key] = value?.intValue ?? value?.doubleValue ?? value?.stringValue ?? value?.boolValue ?? undefined;
  }
  return out;
}

/**
 * Normalizes OpenTelemetry GenAI semantic-convention span attributes (a plain attribute record, or
 * OTLP/JSON `[{ key, value }]`). Per the conventions, `gen_ai.usage.input_tokens` INCLUDES
 * `cache_read.input_tokens` and `cache_creation.input_tokens`, so they are subtracted; the
 * reasoning count is a subset of `gen_ai.usage.output_tokens`. The provider is
 * `gen_ai.provider.name` (or the older `gen_ai.system`), as written (`openai`, `gcp.gemini`, …);
 * the model is `gen_ai.response.model`, else `gen_ai.request.model`.
 *
 * @example
 * normalizeOtelGenAiUsage({ "gen_ai.usage.input_tokens": 5120, "gen_ai.usage.output_tokens": 100,
 *   "gen_ai.usage.cache_read.input_tokens": 4500, "gen_ai.provider.name": "anthropic" }).usage
 * // → inputTokens 620, cacheReadTokens 4500, outputTokens 100
 */
export function normalizeOtelGenAiUsage(raw: unknown, options: OtelGenAiUsageOptions = {}): NormalizedUsage {
  const flat = flatten(raw);
  const a = validate(attributesSchema, flat, "attributes");
  const input = a["gen_ai.usage.input_tokens"] ?? a["gen_ai.usage.prompt_tokens"];
  const output = a["gen_ai.usage.output_tokens"] ?? a["gen_ai.usage.completion_tokens"];
  if (input == null && output == null) {
    throw new BudgetError("invalid_input", "attributes: no gen_ai.usage.input_tokens or output_tokens", {
      field: "attributes.gen_ai.usage.input_tokens",
    });
  }
  const cacheRead = one(a, "gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens");
  const cacheWrite = one(
    a,
    "gen_ai.usage.cache_creation.input_tokens",
    "gen_ai.usage.cache_creation_input_tokens",
  );
  const reasoning = one(a, "gen_ai.usage.reasoning.output_tokens", "gen_ai.usage.reasoning_tokens");
  const inputTokens =
    (options.inputIncludesCache ?? true)
      ? minus(n(input), cacheRead + cacheWrite, "attributes", "gen_ai.usage.input_tokens")
      : n(input);
  return normalized(
    {
      inputTokens,
      cacheReadTokens: cacheRead,
      cacheWriteTokens: cacheWrite,
      outputTokens: n(output),
      reasoningTokens: reasoning,
    },
    {
      model: a["gen_ai.response.model"] ?? a["gen_ai.request.model"],
      provider: a["gen_ai.provider.name"] ?? a["gen_ai.system"],
      unknown: unknownUsageAttributes(flat),
    },
    options,
  );
}

type Attributes = z.output<typeof attributesSchema>;

/** The value of a semconv attribute or its OpenLLMetry twin; two that disagree are rejected. */
function one(a: Attributes, semconv: keyof Attributes, openllmetry: keyof Attributes): number {
  const x = a[semconv] as number | null | undefined;
  const y = a[openllmetry] as number | null | undefined;
  if (x != null && y != null && x !== y) {
    throw new BudgetError("invalid_input", `attributes.${openllmetry}: ${y} ≠ ${semconv} (${x})`, {
      field: `attributes.${openllmetry}`,
    });
  }
  return x ?? y ?? 0;
}

const KNOWN_USAGE_ATTRIBUTES = new Set(
  Object.keys(attributesSchema.shape).filter(
    (k) => k.startsWith("gen_ai.usage.") || k.startsWith("llm.usage."),
  ),
);

/** Non-zero `gen_ai.usage.*` / `llm.usage.*` attributes the conventions we read do not define. */
function unknownUsageAttributes(flat: unknown): string[] {
  if (!isRecord(flat)) return [];
  return Object.entries(flat)
    .filter(
      ([k, v]) =>
        (k.startsWith("gen_ai.usage.") || k.startsWith("llm.usage.")) && typeof v === "number" && v !== 0,
    )
    .filter(([k]) => !KNOWN_USAGE_ATTRIBUTES.has(k))
    .map(([k]) => `attributes.${k}`);
}
