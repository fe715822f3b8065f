import { providerIdOf } from "@budget/core";

/**
 * Providers Budget knows by their own name although the bundled data has no prices of theirs
 * (every provider LiteLLM's feed has listed, after the spellings of `DEFAULT_PROVIDER_ALIASES`).
 * A feed's provider that is neither one of these nor a catalog provider cannot be mapped: it is
 * reported, never stored under a name nobody resolves.
 */
export const LISTED_PROVIDERS: readonly string[] = [
  "ai21",
  "aiml",
  "aleph_alpha",
  "amazon_nova",
  "anyscale",
  "apiserpent",
  "assemblyai",
  "aws_polly",
  "black_forest_labs",
  "chatgpt",
  "crusoe",
  "darkbloom",
  "dashscope",
  "databricks",
  "dataforseo",
  "deepgram",
  "deepinfra",
  "duckduckgo",
  "elevenlabs",
  "exa_ai",
  "fal_ai",
  "featherless_ai",
  "firecrawl",
  "friendliai",
  "gigachat",
  "gmi",
  "google_pse",
  "gradient_ai",
  "heroku",
  "hyperbolic",
  "inception",
  "jina_ai",
  "lambda_ai",
  "lemonade",
  "libertai",
  "linkup",
  "llamagate",
  "meta",
  "morph",
  "nebius",
  "nlp_cloud",
  "nscale",
  "nvidia_nim",
  "oci",
  "ollama",
  "parallel_ai",
  "pinstripes",
  "publicai",
  "recraft",
  "reducto",
  "replicate",
  "runwayml",
  "sagemaker",
  "sambanova",
  "sarvam",
  "scaleway",
  "searxng",
  "serper",
  "snowflake",
  "soniox",
  "stability",
  "tavily",
  "tencent",
  "tensormesh",
  "tinyfish",
  "v0",
  "vercel_ai_gateway",
  "volcengine",
  "wandb",
  "watsonx",
  "you_com",
];

/**
 * The canonical provider id of a source's provider name (`gemini`, `vertex_ai-anthropic_models` →
 * `google`; `bedrock_converse` → `aws`; `xai` → `x-ai`), or null when it names no known provider.
 *
 * @param known the catalog's provider ids (the bundled ones at least)
 */
export function canonicalProvider(name: string, known: ReadonlySet<string>): string | null {
  const id = providerIdOf(name);
  return known.has(id) || LISTED.has(id) ? id : null;
}

const LISTED = new Set(LISTED_PROVIDERS);
