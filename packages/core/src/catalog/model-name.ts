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
};

/** A name to look up, with the providers its prefixes named (most specific last). */
export interface NameCandidate {
  name: string;
  providers: readonly string[];
}

const BEDROCK_REGION = /^(?:us|eu|apac|global|us-gov|jp|au|ca|regional)\./;
const BEDROCK_VENDOR =
  /^(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|qwen|writer|twelvelabs|moonshot|google|minimax)\./;
const BEDROCK_VERSION = /(?:-v\d+)?:\d+$/;
const DATE_COMPACT = /-(20\d{2})(\d{2})(\d{2})$/;
const DATE_DASHED = /-20\d{2}-\d{2}-\d{2}$/;

/**
 * The names a model id may be listed under, most specific first: the id itself, then with
 * gateway/provider prefixes (`openrouter/`, `bedrock/`, `us.`, `anthropic.`), Bedrock version
 * suffixes (`-v2:0`), Vertex `@` dates, `-latest` and date suffixes removed.
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
  const push = (name: string, providers: readonly string[]) => {
    if (!name || seen.has(name)) return;
    seen.add(name);
    out.push({ name, providers });
  };
  let name = model.trim().toLowerCase();
  let providers: string[] = provider ? [provider] : [];
  push(name, providers);
  // Gateway and provider prefixes: `openrouter/anthropic/claude-…`, `bedrock/us.anthropic.…`.
  for (let slash = name.indexOf("/"); slash > 0; slash = name.indexOf("/")) {
    const id = isProvider(name.slice(0, slash));
    if (!id) break;
    providers = [...providers, id];
    name = name.slice(slash + 1);
    push(name, providers);
  }
  for (const transform of TRANSFORMS) {
    for (const candidate of [...out]) {
      const next = transform(candidate.name);
      if (next !== undefined) push(next, candidate.providers);
    }
  }
  return out;
}

type Transform = (name: string) => string | undefined;

const replaced = (re: RegExp, by: string): Transform => {
  return (name) => {
    const next = name.replace(re, by);
    return next === name ? undefined : next;
  };
};

const TRANSFORMS: readonly Transform[] = [
  replaced(BEDROCK_REGION, ""),
  replaced(BEDROCK_VENDOR, ""),
  replaced(BEDROCK_VERSION, ""),
  // Vertex spells dates with `@`: `claude-3-5-sonnet-v2@20241022`.
  replaced(/-v\d+@/, "@"),
  replaced(/@/, "-"),
  replaced(/@.*$/, ""),
  replaced(/-latest$/, ""),
  replaced(DATE_COMPACT, "-$1-$2-$3"),
  replaced(DATE_COMPACT, ""),
  replaced(DATE_DASHED, ""),
];
