/** What a call says about its provider, strongest first. */
export interface CallProvider {
  /** The caller's `provider` dimension: always wins. */
  provider?: string | undefined;
  /** The client's base URL (`https://api.deepseek.com/v1`, a Bedrock regional endpoint, …). */
  baseUrl?: string | URL | undefined;
  /** The model as requested, when it carries a provider prefix (`openrouter/…`, `bedrock/…`). */
  model?: string | undefined;
  /** Used when nothing else names the provider (the SDK's own: `openai` for the OpenAI SDK). */
  fallback?: string | undefined;
}

/**
 * API hosts and the catalog's provider id for each (the ids and hosts of genai-prices'
 * `api_pattern`, the bundled price data): one OpenAI-compatible shape is spoken by all of them.
 */
const HOSTS: readonly [RegExp, string][] = [
  [/(^|\.)api\.openai\.com$/, "openai"],
  [/(^|\.)api\.anthropic\.com$/, "anthropic"],
  [/(^|\.)api\.x\.ai$/, "x-ai"],
  [/(^|\.)api\.deepseek\.com$/, "deepseek"],
  [/(^|\.)api\.moonshot\.(ai|cn)$/, "moonshotai"],
  [/(^|\.)api\.mistral\.ai$/, "mistral"],
  [/(^|\.)api\.groq\.com$/, "groq"],
  [/(^|\.)openrouter\.ai$/, "openrouter"],
  [/(^|\.)api\.together\.xyz$/, "together"],
  [/(^|\.)api\.fireworks\.ai$/, "fireworks"],
  [/(^|\.)api\.cerebras\.ai$/, "cerebras"],
  [/(^|\.)api\.perplexity\.ai$/, "perplexity"],
  [/(^|\.)api\.cohere\.(ai|com)$/, "cohere"],
  [/(^|\.)api\.z\.ai$/, "zai"],
  [/^bedrock-runtime\.[a-z0-9-]+\.amazonaws\.com$/, "aws"],
  [
    /(^|\.)(openai\.azure\.com|azure-api\.net|cognitiveservices\.azure\.com|services\.ai\.azure\.com)$/,
    "azure",
  ],
  [/(^|\.)googleapis\.com$/, "google"],
];

/** Model prefixes (LiteLLM / gateway style `provider/model`) and the provider each names. */
const PREFIXES: Readonly<Record<string, string>> = {
  openai: "openai",
  anthropic: "anthropic",
  openrouter: "openrouter",
  bedrock: "aws",
  vertex_ai: "google",
  gemini: "google",
  google: "google",
  xai: "x-ai",
  "x-ai": "x-ai",
  deepseek: "deepseek",
  moonshot: "moonshotai",
  moonshotai: "moonshotai",
  mistral: "mistral",
  groq: "groq",
  azure: "azure",
};

/** The catalog provider id of an API host, or undefined for a host we do not know. */
export function providerOfBaseUrl(baseUrl: string | URL): string | undefined {
  let host: string;
  try {
    host = new URL(String(baseUrl)).hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return HOSTS.find(([re]) => re.test(host))?.[1];
}

/**
 * The provider label of a call, from what the CALL says — the caller's dimension, else the
 * client's base URL, else a `provider/` model prefix, else `fallback` — never from the usage
 * shape, since DeepSeek, xAI, OpenRouter and others all answer in OpenAI's shape.
 *
 * @example
 * providerOfCall({ baseUrl: "https://api.deepseek.com/v1", fallback: "openai" }) // → "deepseek"
 */
export function providerOfCall(call: CallProvider): string | undefined {
  if (call.provider) return call.provider;
  const byUrl = call.baseUrl !== undefined ? providerOfBaseUrl(call.baseUrl) : undefined;
  if (byUrl) return byUrl;
  const slash = call.model?.indexOf("/") ?? -1;
  if (call.model && slash > 0) {
    const byPrefix = PREFIXES[call.model.slice(0, slash).toLowerCase()];
    if (byPrefix) return byPrefix;
  }
  return call.fallback;
}
