import type { BudgetEngine } from "@budget/core";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { z } from "zod";
import type { Auth } from "../auth/auth.js";
import { errorBodySchema, STATUS_BY_KIND } from "./dialect.js";
import type { GatewayConfig } from "./gateway-config.js";
import { createGatewayHandler, GATEWAY_PREFIX, GATEWAY_ROLES } from "./gateway-handler.js";
import { createGatewayMetrics } from "./gateway-metrics.js";
import { createRemainingLookup } from "./remaining.js";
import { resolveUpstreams, type Upstream } from "./upstream.js";

/** The gateway part of {@link createBudgetApp}'s options. */
export interface GatewayOptions {
  config: GatewayConfig;
  /** Where upstream keys named by `apiKeyEnv` are read (default `process.env`). */
  env?: Record<string, string | undefined>;
}

/** What {@link mountGateway} needs from the app. */
export interface GatewayMount {
  engine: BudgetEngine;
  auth: Auth;
  logger: Logger;
  registry: Registry;
  bodyLimitBytes: number;
}

const ENDPOINTS: { api: "openai" | "anthropic"; path: string; summary: string; free?: true }[] = [
  {
    api: "openai",
    path: "chat/completions",
    summary: "OpenAI Chat Completions (streaming or not), budgeted",
  },
  { api: "openai", path: "responses", summary: "OpenAI Responses (streaming or not), budgeted" },
  { api: "openai", path: "embeddings", summary: "OpenAI Embeddings, budgeted" },
  { api: "anthropic", path: "messages", summary: "Anthropic Messages (streaming or not), budgeted" },
  {
    api: "anthropic",
    path: "messages/count_tokens",
    summary: "Anthropic token counting (free: forwarded)",
    free: true,
  },
];

/** The gateway's own refusals (in the provider's shape) and the upstream's answers, passed through. */
function gatewayResponses(api: "openai" | "anthropic") {
  const own = {
    description: "Refused by the gateway, in the provider's error shape (429: denied by a budget)",
    // An unknown upstream cannot know its dialect: OpenAI's.
    content: { "application/json": { schema: z.union([errorBodySchema(api), errorBodySchema("openai")]) } },
  };
  return {
    200: {
      description: "The upstream's answer, passed through (JSON, or text/event-stream when streamed)",
      content: { "application/json": { schema: z.unknown() }, "text/event-stream": { schema: z.string() } },
    },
    ...Object.fromEntries([...new Set(Object.values(STATUS_BY_KIND))].map((status) => [status, own])),
    default: {
      description: "The upstream's own error, passed through",
      content: { "application/json": { schema: z.unknown() } },
    },
  };
}

function registerDocs(app: OpenAPIHono): void {
  for (const e of ENDPOINTS) {
    app.openAPIRegistry.registerPath({
      method: "post",
      path: `${GATEWAY_PREFIX}/{upstream}/v1/${e.path}`,
      summary: e.summary,
      description:
        `Forwarded to the configured upstream \`{upstream}\` speaking the ${e.api} wire format, byte for byte but for ` +
        "what budgeting needs (see docs/gateway.md). Authenticate with a Budget key (gateway, writer or admin). " +
        "A denial is a 429 in the provider's error shape, with Retry-After and x-budget-* headers.",
      tags: ["gateway"],
      // The roles that may call through the gateway (a reader key may not); a budgeted call of a
      // writer key restricted to components must name one of them (`x-budget-component`).
      "x-budget-role": "gateway",
      "x-budget-roles": [...GATEWAY_ROLES],
      ...(e.free ? {} : { "x-budget-writer-scope": "dimensions" }),
      request: {
        params: z.object({ upstream: z.string() }),
        body: {
          content: { "application/json": { schema: z.looseObject({ model: z.string() }) } },
          required: true,
        },
      },
      responses: gatewayResponses(e.api),
    });
  }
}

/**
 * Mounts the gateway at `/gateway/:upstream/v1/*` on `app`, with its per-upstream metrics in the
 * app's registry and its endpoints in the OpenAPI document. Returns the resolved upstreams.
 */
export function mountGateway(
  app: OpenAPIHono,
  mount: GatewayMount,
  options: GatewayOptions,
): Map<string, Upstream> {
  const upstreams = resolveUpstreams(options.config, options.env ?? process.env);
  const handler = createGatewayHandler({
    engine: mount.engine,
    auth: mount.auth,
    config: options.config,
    upstreams,
    metrics: createGatewayMetrics(mount.registry),
    logger: mount.logger.child({ component: "gateway" }),
    bodyLimitBytes: mount.bodyLimitBytes,
    remaining: createRemainingLookup(mount.engine),
  });
  app.all(`${GATEWAY_PREFIX}/:upstream/v1/*`, handler);
  registerDocs(app);
  return upstreams;
}
