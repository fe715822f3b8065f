import type { CountMethod } from "@budget/calls/estimate";
import type { GatewayApi, GatewayConfig, UpstreamConfig } from "./gateway-config.js";

/**
 * A configured upstream, ready to call. Its key stays inside {@link Upstream.authHeaders}: it is
 * not a property, so neither logging nor serializing an upstream can reveal it.
 */
export interface Upstream {
  readonly id: string;
  readonly api: GatewayApi;
  /** The `provider` dimension of its calls. */
  readonly provider: string;
  readonly tokenizer: CountMethod | undefined;
  readonly timeoutMs: number;
  /** The chat completions field an output cap is written into. */
  readonly chatCapField: "max_completion_tokens" | "max_tokens";
  /** Whether a key is configured (the key itself is never exposed). */
  readonly hasKey: boolean;
  /** The upstream URL of `path` (what follows `/v1/`), with the configured query and the caller's. */
  url(path: string, search: string): string;
  /** The header that authenticates to this upstream, and only to it. */
  authHeaders(): Record<string, string>;
  /** `text` with the upstream key replaced, for an upstream error body that echoes it. */
  redact(text: string): string;
}

function createUpstream(config: UpstreamConfig, env: Record<string, string | undefined>): Upstream {
  const key = config.apiKey ?? (config.apiKeyEnv ? env[config.apiKeyEnv] : undefined) ?? null;
  const base = config.baseUrl.replace(/\/+$/, "");
  const fixed = new URLSearchParams(config.query ?? {});
  const hasQuery = Object.keys(config.query ?? {}).length > 0;
  const header = config.authHeader ?? (config.api === "anthropic" ? "x-api-key" : "authorization");
  const auth: Record<string, string> = key
    ? { [header]: header === "authorization" ? `Bearer ${key}` : key }
    : {};
  return {
    id: config.id,
    api: config.api,
    provider: config.provider ?? config.api,
    tokenizer: config.tokenizer,
    timeoutMs: config.timeoutMs,
    chatCapField: config.chatCapField,
    hasKey: key !== null,
    url(path, search) {
      if (search === "" && !hasQuery) return `${base}/${path}`;
      const params = new URLSearchParams(search);
      for (const [k, v] of fixed) params.set(k, v);
      const query = params.toString();
      return `${base}/${path}${query ? `?${query}` : ""}`;
    },
    authHeaders: () => auth,
    redact: (text) => (key && text.includes(key) ? text.replaceAll(key, "[redacted]") : text),
  };
}

/** The configured upstreams by id, keys read from `env` once. */
export function resolveUpstreams(
  config: GatewayConfig,
  env: Record<string, string | undefined> = process.env,
): Map<string, Upstream> {
  return new Map(config.upstreams.map((u) => [u.id, createUpstream(u, env)]));
}
