/** Provider names as callers and gateways spell them → the catalog's provider ids. */
export const DEFAULT_PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  bedrock: "aws",
  bedrock_converse: "aws",
  amazon: "aws",
  "amazon-bedrock": "aws",
  vertex_ai: "google",
  "vertex-ai": "google",
  vertex: "google",
  gemini: "google",
  "google-vertex": "google",
  google_genai: "google",
  xai: "x-ai",
  together_ai: "together",
  "together-ai": "together",
  mistralai: "mistral",
  azure_ai: "azure",
  "azure-openai": "azure",
  moonshot: "moonshotai",
  fireworks_ai: "fireworks",
  "fireworks-ai": "fireworks",
  // LiteLLM's names (`litellm_provider`) for providers the catalog knows under another id.
  bedrock_mantle: "aws",
  palm: "google",
  "text-completion-openai": "openai",
  azure_text: "azure",
  codestral: "mistral",
  "text-completion-codestral": "mistral",
  cohere_chat: "cohere",
  voyage: "voyageai",
  github_copilot: "github-copilot",
  meta_llama: "meta",
  "text-completion-inception": "inception",
};

/**
 * Spelling families of one provider: LiteLLM files Vertex models under `vertex_ai-<kind>_models`
 * and Fireworks embeddings under `fireworks_ai-embedding-models`.
 */
const PROVIDER_FAMILIES: readonly [RegExp, string][] = [
  [/^vertex_ai-/, "google"],
  [/^fireworks_ai-/, "fireworks"],
];

/** A provider spelling → the catalog's provider id (`bedrock_converse` → `aws`), lowercased. */
export function providerIdOf(
  name: string,
  aliases: Readonly<Record<string, string>> = DEFAULT_PROVIDER_ALIASES,
): string {
  const lower = name.trim().toLowerCase();
  const direct = aliases[lower];
  if (direct) return direct;
  for (const [re, id] of PROVIDER_FAMILIES) if (re.test(lower)) return id;
  return lower;
}

/** How a candidate name was derived from the name asked for. */
export const NAME_STEPS = [
  "as_given",
  "provider_prefix",
  "bedrock_region",
  "bedrock_vendor",
  "bedrock_version",
  "vertex_date",
  "date_suffix",
] as const;
/** One of {@link NAME_STEPS}. */
export type NameStep = (typeof NAME_STEPS)[number];

/** A name to look up, with the providers its prefixes named (most specific last). */
export interface NameCandidate {
  name: string;
  providers: readonly string[];
  /** The derivations that led from the asked name to this one, in order. */
  steps: readonly NameStep[];
}

const BEDROCK_REGION = /^(?:us|eu|apac|global|us-gov|jp|au|ca|regional)\./;
const BEDROCK_VENDOR =
  /^(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|qwen|writer|twelvelabs|moonshot|google|minimax)\./;
const BEDROCK_VERSION = /(?:-v\d+)?:\d+$/;
const DATE_COMPACT = /-(20\d{2})(\d{2})(\d{2})$/;
const DATE_DASHED = /-20\d{2}-\d{2}-\d{2}$/;

/**
 * The names a model id may be listed under, most specific first: the id itself, then with
 * known gateway/provider prefixes (`openrouter/`, `bedrock/`) removed, Bedrock affixes (`us.`,
 * `anthropic.`, `-v2:0`) and Vertex `@` dates removed, and date suffixes removed. Nothing else:
 * `-latest` and other spellings resolve only through declared aliases and alias rules. A Bedrock
 * or Vertex affix names its provider (`aws`, `google`) when no provider was named.
 *
 * @param isProvider whether a `/`-separated first segment names a provider
 */
export function nameCandidates(
  model: string,
  provider: string | undefined,
  isProvider: (segment: string) => string | undefined,
): NameCandidate[] {
  const out: NameCandidate[] = [];
  const seen = new Set<string>();
  const push = (name: string, providers: readonly string[], steps: readonly NameStep[]) => {
    const key = `${providers.join("/")}\u0000${name}`;
    if (!name || seen.has(key)) return;
    seen.add(key);
    out.push({ name, providers, steps });
  };
  let name = model.trim().toLowerCase();
  let providers: string[] = provider ? [provider] : [];
  let steps: NameStep[] = ["as_given"];
  push(name, providers, steps);
  // Gateway and provider prefixes: `openrouter/anthropic/claude-…`, `bedrock/us.anthropic.…`.
  for (let slash = name.indexOf("/"); slash > 0; slash = name.indexOf("/")) {
    const id = isProvider(name.slice(0, slash));
    if (!id) break;
    providers = [...providers, id];
    name = name.slice(slash + 1);
    steps = [...steps, "provider_prefix"];
    push(name, providers, steps);
  }
  for (const t of TRANSFORMS) {
    for (const candidate of [...out]) {
      const next = candidate.name.replace(t.re, t.by);
      if (next === candidate.name) continue;
      const named = candidate.providers.length > 0 || !t.implies ? candidate.providers : [t.implies];
      push(next, named, [...candidate.steps, t.step]);
    }
  }
  return out;
}

interface Transform {
  re: RegExp;
  by: string;
  step: NameStep;
  /** The provider this spelling belongs to, when none was named. */
  implies?: string;
}

const TRANSFORMS: readonly Transform[] = [
  { re: BEDROCK_REGION, by: "", step: "bedrock_region", implies: "aws" },
  { re: BEDROCK_VENDOR, by: "", step: "bedrock_vendor", implies: "aws" },
  { re: BEDROCK_VERSION, by: "", step: "bedrock_version", implies: "aws" },
  // Vertex spells dates with `@`: `claude-3-5-sonnet-v2@20241022`.
  { re: /-v\d+@/, by: "@", step: "vertex_date", implies: "google" },
  { re: /@/, by: "-", step: "vertex_date", implies: "google" },
  { re: /@.*$/, by: "", step: "vertex_date", implies: "google" },
  { re: DATE_COMPACT, by: "-$1-$2-$3", step: "date_suffix" },
  { re: DATE_COMPACT, by: "", step: "date_suffix" },
  { re: DATE_DASHED, by: "", step: "date_suffix" },
];
