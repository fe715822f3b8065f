import { z } from "zod";

/** Kinds of content a model may take in or give out. */
export const MODALITIES = ["text", "image", "audio", "video", "pdf"] as const;
/** One kind of content (see {@link MODALITIES}). */
export type Modality = (typeof MODALITIES)[number];

/** Yes/no features a source may publish about a model. */
export const CAPABILITY_FLAGS = [
  "tools",
  "reasoning",
  "promptCaching",
  "batch",
  "webSearch",
  "structuredOutput",
] as const;
/** One yes/no feature (see {@link CAPABILITY_FLAGS}). */
export type CapabilityFlag = (typeof CAPABILITY_FLAGS)[number];

const tokenCount = z.number().int().positive().max(1_000_000_000);
const modalityMap = z.partialRecord(z.enum(MODALITIES), z.boolean());

/**
 * Zod schema of {@link ModelCapabilities}. Every field is optional: an absent field is unknown
 * (the sources did not say), never "no".
 */
export const modelCapabilitiesSchema = z
  .object({
    /** Most input-side tokens one request may carry. */
    contextWindow: tokenCount.optional(),
    /** Most output tokens one response may carry. */
    maxOutputTokens: tokenCount.optional(),
    /** Per modality: true accepted, false not accepted, absent unknown. */
    input: modalityMap.optional(),
    /** Per modality: true produced, false not produced, absent unknown. */
    output: modalityMap.optional(),
    /** Function/tool calling. */
    tools: z.boolean().optional(),
    reasoning: z.boolean().optional(),
    promptCaching: z.boolean().optional(),
    /** Offered through a batch API. */
    batch: z.boolean().optional(),
    webSearch: z.boolean().optional(),
    /** JSON-schema constrained output. */
    structuredOutput: z.boolean().optional(),
  })
  .strict();

/** What the sources publish about a model; an absent field is unknown. */
export type ModelCapabilities = z.infer<typeof modelCapabilitiesSchema>;

/** Zod schema of {@link CapabilityRequirements}. */
export const capabilityRequirementsSchema = z
  .object({
    /** Features the call needs. */
    capabilities: z.array(z.enum(CAPABILITY_FLAGS)).max(CAPABILITY_FLAGS.length).optional(),
    /** Input modalities the call sends. */
    input: z.array(z.enum(MODALITIES)).max(MODALITIES.length).optional(),
    /** Output modalities the call expects. */
    output: z.array(z.enum(MODALITIES)).max(MODALITIES.length).optional(),
    /** Input-side tokens the model must accept. */
    minContextTokens: tokenCount.optional(),
    /** Output tokens the model must be able to produce. */
    minOutputTokens: tokenCount.optional(),
  })
  .strict();

/** What a call needs of a model. */
export type CapabilityRequirements = z.infer<typeof capabilityRequirementsSchema>;

/** Whether a model meets requirements: what it lacks, and what nobody knows. */
export interface CapabilityCheck {
  ok: boolean;
  /** Requirements the sources say the model does not meet. */
  missing: string[];
  /** Requirements no source says anything about (unknown is never assumed to be met). */
  unknown: string[];
}

/**
 * Checks capabilities against requirements. A requirement is met only when a source said so:
 * an unknown fact fails the check, listed in `unknown` (not in `missing`).
 *
 * @example checkCapabilities({ tools: true }, { capabilities: ["tools", "reasoning"] }) // ok false, unknown ["reasoning"]
 */
export function checkCapabilities(
  caps: ModelCapabilities | undefined,
  req: CapabilityRequirements | undefined,
): CapabilityCheck {
  const out: CapabilityCheck = { ok: true, missing: [], unknown: [] };
  if (!req) return out;
  const c = caps ?? {};
  const verdict = (name: string, known: boolean | undefined) => {
    if (known === undefined) out.unknown.push(name);
    else if (!known) out.missing.push(name);
  };
  for (const flag of req.capabilities ?? []) verdict(flag, c[flag]);
  for (const m of req.input ?? []) verdict(`input.${m}`, c.input?.[m]);
  for (const m of req.output ?? []) verdict(`output.${m}`, c.output?.[m]);
  const atLeast = (have: number | undefined, need: number | undefined) =>
    need === undefined ? true : have === undefined ? undefined : have >= need;
  if (req.minContextTokens !== undefined)
    verdict(`contextWindow>=${req.minContextTokens}`, atLeast(c.contextWindow, req.minContextTokens));
  if (req.minOutputTokens !== undefined)
    verdict(`maxOutputTokens>=${req.minOutputTokens}`, atLeast(c.maxOutputTokens, req.minOutputTokens));
  out.ok = out.missing.length === 0 && out.unknown.length === 0;
  return out;
}

/**
 * Capabilities of `over` with the known facts of `from` filled in where `over` is silent: one
 * source's silence never erases another's fact. Undefined when neither knows anything.
 */
export function mergeCapabilities(
  from: ModelCapabilities | undefined,
  over: ModelCapabilities | undefined,
): ModelCapabilities | undefined {
  if (!from) return over && Object.keys(over).length > 0 ? over : undefined;
  if (!over) return Object.keys(from).length > 0 ? from : undefined;
  const merged: ModelCapabilities = { ...from, ...over };
  if (from.input || over.input) merged.input = { ...from.input, ...over.input };
  if (from.output || over.output) merged.output = { ...from.output, ...over.output };
  return Object.keys(merged).length > 0 ? merged : undefined;
}
