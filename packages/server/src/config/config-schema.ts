import {
  type AmountBounds,
  type AmountBoundsInput,
  aliasRuleSchema,
  budgetInputSchema,
  keyScopeSchema,
  positiveDecimalSchema,
  ROLES,
  resolveAmountBounds,
  type TokenRates,
} from "@budget/core";
import { z } from "zod";
import { gatewayConfigSchema } from "../gateway/gateway-config.js";
import { WEBHOOK_EVENT_FILTERS } from "../webhooks/webhook-event-types.js";
import { assistantConfigSchema } from "./assistant-config.js";
import { sliceConfigIssues, slicesConfigSchema } from "./slices-config.js";

const priceSourceSchema = z
  .object({
    id: z.string().min(1).max(64),
    // The remote types are @budget/prices' registry (a test keeps them equal); not imported, so the
    // CLI's settings load without the price package.
    type: z.enum(["bundled", "litellm", "openrouter", "genai-prices", "file", "manual"]),
    /** litellm/openrouter/genai-prices: override the feed URL. file: a path. */
    url: z.string().url().optional(),
    file: z.string().min(1).optional(),
    enabled: z.boolean().default(true),
  })
  .strict();

/** Query parameters that carry a secret: such a secret belongs in `headers`, not in the URL. */
const SECRET_PARAM = /token|key|secret|pass|auth|sig|credential|session/i;
/** Headers a delivery sets itself. */
const OWN_HEADERS = /^(content-type|content-length|host|user-agent|x-budget-.*)$/i;

const urlOrNull = (u: string): URL | null => {
  try {
    return new URL(u);
  } catch {
    return null;
  }
};

/** A webhook URL without credentials in it: no `user:pass@`, no `?token=`-like parameter. */
const webhookUrlSchema = z
  .string()
  .url()
  .refine((u) => /^https?:$/.test(urlOrNull(u)?.protocol ?? "http:"), "must be an http or https URL")
  .refine((u) => {
    const url = urlOrNull(u);
    return !url || (url.username === "" && url.password === "");
  }, "must not hold credentials (user:pass@); put them in `headers`, e.g. authorization")
  .refine(
    (u) => ![...(urlOrNull(u)?.searchParams.keys() ?? [])].some((k) => SECRET_PARAM.test(k)),
    "must not hold a secret in its query string (token, key, …); put it in `headers`",
  );

/** Zod schema of one webhook subscriber (see docs/webhooks.md). */
export const webhookSchema = z
  .object({
    url: webhookUrlSchema,
    /** Headers sent with every delivery, e.g. `authorization: Bearer …` (never logged). */
    headers: z
      .record(
        z
          .string()
          .regex(/^[A-Za-z0-9-]{1,64}$/, "must be a header name")
          .refine((h) => !OWN_HEADERS.test(h), "is set by the delivery itself"),
        z
          .string()
          .max(4096)
          .regex(/^[^\r\n]*$/, "must be one line"),
      )
      .optional(),
    /** A name for logs and metrics (default: the URL's host; the full URL may hold a token). */
    id: z.string().min(1).max(64).optional(),
    /** Events to deliver (default `[alert]`): `*`, `alert`, an alert kind (`threshold`, `price_change`, …), `usage`, … */
    events: z.array(z.enum(WEBHOOK_EVENT_FILTERS)).min(1).optional(),
    /** HMAC-SHA256 signing secret: each delivery carries `x-budget-signature: sha256=<hex>`. */
    secret: z.string().min(16).optional(),
    /** One attempt's timeout. */
    timeoutMs: z.number().int().min(100).max(120_000).optional(),
    /** Attempts per delivery, the first included (default 8). */
    maxAttempts: z.number().int().min(1).max(50).optional(),
  })
  .strict();

/** One webhook subscriber as configured. */
export type WebhookConfig = z.input<typeof webhookSchema>;

/** Zod schema of the configuration file (JSON or YAML); every field has a default. */
export const serverConfigSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default("127.0.0.1"),
        port: z.number().int().min(0).max(65535).default(4100),
        bodyLimitBytes: z
          .number()
          .int()
          .min(1024)
          .max(100 * 1024 * 1024)
          .default(1024 * 1024),
        /** How long shutdown waits for in-flight requests. */
        shutdownTimeoutMs: z.number().int().positive().default(10_000),
      })
      .strict()
      .default({ host: "127.0.0.1", port: 4100, bodyLimitBytes: 1024 * 1024, shutdownTimeoutMs: 10_000 }),
    database: z
      .object({
        /** SQLite file (the default store). */
        file: z.string().min(1).default("./data/budget.db"),
        /** PostgreSQL URL: when set, used instead of SQLite. */
        url: z.string().min(1).optional(),
        /** Raw usage events and settled reservations older than this many days are deleted (hourly); rollups and counters stay. */
        eventRetentionDays: z.number().int().positive().max(36_500).optional(),
        /** Exact slices of hot limits across instances (PostgreSQL only; ADR 0010). */
        slices: slicesConfigSchema.optional(),
      })
      .strict()
      .default({ file: "./data/budget.db" }),
    auth: z
      .object({
        /** The admin key to ensure on start (prefer the BUDGET_ADMIN_KEY environment variable). */
        adminKey: z.string().min(16).optional(),
        publicMetrics: z.boolean().default(false),
        /** Keys to ensure on start, given as secrets (from the environment, e.g. `${CI_KEY}` substituted by you). */
        keys: z
          .array(
            z
              .object({ name: z.string().min(1), role: z.enum(ROLES), key: z.string().min(16) })
              .extend(keyScopeSchema.shape)
              .strict(),
          )
          .default([]),
      })
      .strict()
      .default({ publicMetrics: false, keys: [] }),
    /** Budgets upserted on every start (the file is the source of truth for these ids). */
    budgets: z.array(budgetInputSchema).default([]),
    prices: z
      .object({
        sources: z.array(priceSourceSchema).default([{ id: "bundled", type: "bundled", enabled: true }]),
        /**
         * Explicit alias rules: the only way `-latest` names and cross-provider prices resolve
         * (`{ provider: azure, model: "gpt-4o*", to: { provider: openai } }`).
         */
        aliasRules: z.array(aliasRuleSchema).default([]),
        /** Provider ids a feed may use besides the known ones (private deployments); others are reported, not stored. */
        providers: z.array(z.string().min(1).max(64)).default([]),
        /** Cron expression of automatic updates (none by default). */
        updateSchedule: z.string().min(1).optional(),
        /** What an unpriced model costs: deny (default) or a fallback price per million tokens. */
        unknownModel: z
          .union([
            z.object({ mode: z.literal("deny") }).strict(),
            z
              .object({
                mode: z.literal("fallback_price"),
                input: z.string().regex(/^\d+(\.\d+)?$/),
                output: z.string().regex(/^\d+(\.\d+)?$/),
              })
              .strict(),
          ])
          .default({ mode: "deny" }),
      })
      .strict()
      .default({
        sources: [{ id: "bundled", type: "bundled", enabled: true }],
        aliasRules: [],
        providers: [],
        unknownModel: { mode: "deny" },
      }),
    webhooks: z.array(webhookSchema).default([]),
    /** The optional assistant (docs/advice.md#assistant): off by default. */
    assistant: assistantConfigSchema.default(() => assistantConfigSchema.parse({})),
    /** The OpenAI/Anthropic-compatible gateway (docs/gateway.md). */
    gateway: gatewayConfigSchema.default(() => gatewayConfigSchema.parse({})),
    reservations: z
      .object({
        defaultTtlMs: z.number().int().min(1000).default(600_000),
        sweepIntervalMs: z.number().int().min(100).default(5_000),
      })
      .strict()
      .default({ defaultTtlMs: 600_000, sweepIntervalMs: 5_000 }),
    /** Most one event and one limit may carry (see docs/config.md): absent fields keep the defaults. */
    amounts: z
      .object({
        maxEventTokens: z.number().int().positive().optional(),
        maxEventCostUsd: positiveDecimalSchema.optional(),
        maxEventRequests: z.number().int().positive().optional(),
        maxLimitTokens: z.number().int().positive().optional(),
        maxLimitCostUsd: positiveDecimalSchema.optional(),
        maxLimitRequests: z.number().int().positive().optional(),
      })
      .strict()
      .default({}),
    logging: z
      .object({
        level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
      })
      .strict()
      .default({ level: "info" }),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const issue of sliceConfigIssues(config)) ctx.addIssue({ code: "custom", ...issue });
  });

/** The configuration file as written. */
export type ServerConfigInput = z.input<typeof serverConfigSchema>;
/** The configuration with defaults applied. */
export type ServerConfig = z.output<typeof serverConfigSchema>;

/** Token rates of the configured unknown-model fallback. */
export function fallbackRates(config: ServerConfig): TokenRates | null {
  const u = config.prices.unknownModel;
  return u.mode === "fallback_price" ? { input: u.input, output: u.output } : null;
}

/** The configured amount bounds, checked against the storage ceilings (`invalid_input` when out of range). */
export function amountBoundsOf(config: ServerConfig): AmountBounds {
  const input: AmountBoundsInput = {};
  for (const [k, v] of Object.entries(config.amounts)) if (v !== undefined) Object.assign(input, { [k]: v });
  return resolveAmountBounds(input);
}
