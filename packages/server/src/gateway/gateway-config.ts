import { z } from "zod";

/** The wire formats the gateway speaks. */
export const GATEWAY_APIS = ["openai", "anthropic"] as const;
/** A wire format: `openai` (Chat Completions, Responses, Embeddings) or `anthropic` (Messages). */
export type GatewayApi = (typeof GATEWAY_APIS)[number];

/** Zod schema of one upstream: a provider (or an OpenAI-compatible server) the gateway forwards to. */
export const upstreamSchema = z
  .object({
    /** The path segment: `/gateway/<id>/v1/…`. */
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "lowercase letters, digits, - and _ (at most 64)"),
    /** The wire format it speaks. */
    api: z.enum(GATEWAY_APIS),
    /** The upstream's `/v1` base, e.g. `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`. */
    baseUrl: z.url(),
    /** The upstream key, written in the file (prefer `apiKeyEnv`). */
    apiKey: z.string().min(1).optional(),
    /** The environment variable holding the upstream key (read on start). */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional(),
    /** How the key is sent (default: `authorization` Bearer for openai, `x-api-key` for anthropic; Azure: `api-key`). */
    authHeader: z.enum(["authorization", "api-key", "x-api-key"]).optional(),
    /** Query parameters added to every upstream URL (Azure OpenAI: `api-version`). */
    query: z.record(z.string(), z.string()).optional(),
    /** The `provider` dimension and catalog provider of its calls (default: the api). */
    provider: z.string().min(1).max(256).optional(),
    /** Count prompts with this tokenizer whatever the model name (an OpenAI-compatible server). */
    tokenizer: z.enum(["o200k_base", "cl100k_base", "heuristic"]).optional(),
    /** The chat completions field the gateway writes an output cap into (some servers know only `max_tokens`). */
    chatCapField: z.enum(["max_completion_tokens", "max_tokens"]).default("max_completion_tokens"),
    /** Gives up on an upstream that has not answered (headers) within this. */
    timeoutMs: z.number().int().min(100).max(3_600_000).default(600_000),
  })
  .strict();

/** One upstream as configured. */
export type UpstreamConfig = z.output<typeof upstreamSchema>;

const DEFAULT_UPSTREAMS: z.input<typeof upstreamSchema>[] = [
  { id: "openai", api: "openai", baseUrl: "https://api.openai.com/v1", apiKeyEnv: "OPENAI_API_KEY" },
  {
    id: "anthropic",
    api: "anthropic",
    baseUrl: "https://api.anthropic.com/v1",
    apiKeyEnv: "ANTHROPIC_API_KEY",
  },
];

/** Zod schema of the `gateway` section of the configuration (see docs/gateway.md). */
export const gatewayConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Default: OpenAI and Anthropic, keys from OPENAI_API_KEY and ANTHROPIC_API_KEY. */
    upstreams: z
      .array(upstreamSchema)
      .default(() => DEFAULT_UPSTREAMS.map((u) => upstreamSchema.parse(u)))
      .refine((list) => new Set(list.map((u) => u.id)).size === list.length, "upstream ids must be unique"),
    /** Output tokens reserved when a request sets no maximum. */
    defaultMaxOutputTokens: z.number().int().min(1).max(10_000_000).default(4096),
    /**
     * A request the gateway cannot parse or estimate: `reject` (a 400 in the provider's dialect) or
     * `forward` (reserved at `defaultMaxOutputTokens` input + output, committed from the reported usage).
     */
    unparseable: z.enum(["reject", "forward"]).default("reject"),
    /**
     * A request without an output cap is forwarded with `defaultMaxOutputTokens` as its cap, so what
     * is reserved bounds what can be billed (hard limits hold); `false` forwards it without one.
     */
    capOutput: z.boolean().default(true),
    /** When the call does not fit a token or cost limit, lower `max_tokens` to what fits instead of denying (when at least `minClampTokens`). */
    clampMaxTokens: z.boolean().default(false),
    minClampTokens: z.number().int().min(1).default(256),
    /** TTL of a call's reservation (default: the engine's); a call that outlives it is still recorded. */
    reservationTtlMs: z.number().int().min(1000).max(86_400_000).optional(),
    /** A stream with no data from the upstream for this long is cut, and what it showed committed. */
    streamIdleTimeoutMs: z.number().int().min(100).max(3_600_000).default(300_000),
  })
  .strict();

/** The gateway configuration with defaults applied. */
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

/** The gateway's default configuration. */
export function defaultGatewayConfig(): GatewayConfig {
  return gatewayConfigSchema.parse({});
}
