import type { Modality, ModelCapabilities } from "@budget/core";

const count = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isInteger(v) && v > 0 && v <= 1_000_000_000 ? v : undefined;
const flag = (v: unknown): boolean | undefined => (typeof v === "boolean" ? v : undefined);

/** Drops unknown (undefined) fields and empty modality maps; undefined when nothing is known. */
export function compactCapabilities(caps: ModelCapabilities): ModelCapabilities | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(caps)) {
    if (v === undefined) continue;
    if (typeof v === "object" && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return Object.keys(out).length > 0 ? (out as ModelCapabilities) : undefined;
}

/** Modalities such lists speak for; `pdf` is a separate flag, so a list is silent about it. */
const LISTED: readonly Modality[] = ["text", "image", "audio", "video"];

/** A modality map from a complete list (`["text","image"]`): listed true, the others it covers false. */
function fromList(list: unknown): Partial<Record<Modality, boolean>> | undefined {
  if (!Array.isArray(list) || !list.every((m) => typeof m === "string")) return undefined;
  const out: Partial<Record<Modality, boolean>> = {};
  for (const m of LISTED) out[m] = list.includes(m);
  if (list.includes("file") || list.includes("pdf")) out.pdf = true;
  return out;
}

/**
 * What a LiteLLM entry publishes about its model: `max_input_tokens`, `max_output_tokens`,
 * `supports_*` flags, `supported_modalities` / `supported_output_modalities`, batch prices or a
 * batch endpoint, a cache-read price. A value of the wrong type is left unknown (a fact, not a price:
 * it never fails the feed).
 */
export function litellmCapabilities(entry: Record<string, unknown>): ModelCapabilities | undefined {
  const input = fromList(entry.supported_modalities) ?? {};
  const sets: [Modality, unknown][] = [
    ["image", entry.supports_vision],
    ["audio", entry.supports_audio_input],
    ["pdf", entry.supports_pdf_input],
    ["video", entry.supports_video_input],
  ];
  for (const [m, v] of sets)
    if (input[m] === undefined && flag(v) !== undefined) input[m] = flag(v) as boolean;
  const output = fromList(entry.supported_output_modalities) ?? {};
  if (output.audio === undefined && flag(entry.supports_audio_output) !== undefined)
    output.audio = flag(entry.supports_audio_output) as boolean;
  const endpoints = Array.isArray(entry.supported_endpoints) ? entry.supported_endpoints : [];
  const batch =
    entry.input_cost_per_token_batches !== undefined || endpoints.includes("/v1/batch") ? true : undefined;
  return compactCapabilities({
    contextWindow: count(entry.max_input_tokens),
    maxOutputTokens: count(entry.max_output_tokens),
    input,
    output,
    tools: flag(entry.supports_function_calling),
    reasoning: flag(entry.supports_reasoning),
    promptCaching:
      flag(entry.supports_prompt_caching) ?? (entry.cache_read_input_token_cost !== undefined || undefined),
    batch,
    webSearch: flag(entry.supports_web_search),
    structuredOutput: flag(entry.supports_response_schema),
  });
}

/**
 * What an OpenRouter model publishes: `context_length`, `top_provider.max_completion_tokens`,
 * `architecture.input_modalities` / `output_modalities`, `supported_parameters` (a complete list:
 * `tools`, `reasoning`, `structured_outputs`, `web_search_options`), a cache-read price.
 */
export function openrouterCapabilities(model: Record<string, unknown>): ModelCapabilities | undefined {
  const top = (model.top_provider ?? {}) as Record<string, unknown>;
  const arch = (model.architecture ?? {}) as Record<string, unknown>;
  const pricing = (model.pricing ?? {}) as Record<string, unknown>;
  const params = Array.isArray(model.supported_parameters) ? model.supported_parameters : null;
  const listed = (name: string) => (params ? params.includes(name) : undefined);
  const input = fromList(arch.input_modalities);
  const output = fromList(arch.output_modalities);
  const caps: ModelCapabilities = {
    contextWindow: count(model.context_length) ?? count(top.context_length),
    maxOutputTokens: count(top.max_completion_tokens),
    tools: listed("tools"),
    reasoning: listed("reasoning"),
    structuredOutput: listed("structured_outputs"),
    webSearch: listed("web_search_options"),
    promptCaching:
      pricing.input_cache_read !== undefined && pricing.input_cache_read !== "-1" ? true : undefined,
  };
  if (input) caps.input = input;
  if (output) caps.output = output;
  return compactCapabilities(caps);
}
