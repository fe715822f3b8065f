import { z } from "zod";
import { aliasRuleSchema } from "../catalog/alias-rules.js";
import { NAME_STEPS } from "../catalog/model-name.js";
import { keyScopeSchema, ROLES } from "../keys/api-keys.js";
import { capabilityRequirementsSchema, modelCapabilitiesSchema } from "../price/capabilities.js";
import { priceVersionSchema } from "../price/price.js";
import { absent, denialWireSchema, orNull, usageWireSchema, usdWireSchema } from "./schemas.js";

/**
 * Zod schemas of the answers of the run, key, price, advice and maintenance routes (see
 * `schemas.ts` for the spending path's).
 */

const count = z.number().int().nonnegative();
const epochMs = z.number().int().meta({ description: "epoch ms" });
const json = z.record(z.string(), z.unknown());

/** A stored price version (as the catalog holds it). */
export const priceVersionWireSchema = priceVersionSchema.meta({ id: "PriceVersion" });

/** An orchestration run as stored. */
export const runSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    status: z.enum(["running", "completed", "halted", "failed"]),
    startedAt: epochMs,
    endedAt: epochMs.nullable(),
    config: json,
    summary: json,
    startedBy: z
      .strictObject({
        keyId: z.string(),
        components: z.array(z.string()).optional(),
        projects: z.array(z.string()).optional(),
      })
      .optional(),
  })
  .meta({ id: "Run" });

const totals = { tokens: count, costUsd: usdWireSchema, requests: count, events: count };

/** `RunReport`: the run record (times as ISO strings) and its usage in total, per worker, task, model. */
export const runReportSchema = z.strictObject({
  run: z.strictObject({
    id: z.string(),
    name: z.string(),
    status: runSchema.shape.status,
    startedAt: z.iso.datetime(),
    endedAt: z.iso.datetime().nullable(),
    durationMs: count.nullable(),
    haltReason: z.string().nullable(),
    config: json,
  }),
  total: z.strictObject(totals),
  workers: z.array(z.strictObject({ workerId: z.string(), ...totals })),
  tasks: z.array(z.strictObject({ taskId: z.string(), ...totals })),
  models: z.array(z.strictObject({ model: z.string(), ...totals })),
});

/** An API key as shown: never its hash or secret. */
export const apiKeyWireSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    ...keyScopeSchema.shape,
    prefix: z.string(),
    createdAt: epochMs,
    revokedAt: epochMs.nullable(),
  })
  .meta({ id: "ApiKey" });

/** `POST /v1/keys`: the record and its secret (shown this once). */
export const createdKeyWireSchema = z.strictObject({ key: z.string(), ...apiKeyWireSchema.shape });

/** A price change held for approval (or decided). */
export const pendingPriceChangeSchema = z
  .strictObject({
    id: z.string(),
    status: z.enum(["pending", "approved", "rejected"]),
    createdAt: epochMs,
    decidedAt: epochMs.nullable(),
    provider: z.string(),
    model: z.string(),
    proposed: priceVersionWireSchema,
    evidence: json,
  })
  .meta({ id: "PendingPriceChange" });

/** `Resolution`: what a (provider, model) name resolves to at an instant, and why. */
export const resolutionSchema = z.strictObject({
  /** The provider id the query named, after spelling aliases (`bedrock` → `aws`); null when none. */
  provider: z.string().nullable(),
  model: z.string(),
  at: epochMs,
  /** The catalog model found, or null: an unknown model (the unknown-model policy applies). */
  found: z.strictObject({ provider: z.string(), model: z.string() }).nullable(),
  /** The version in force at `at`; null when the model is unknown or unpriced then. */
  version: orNull(priceVersionWireSchema),
  /** The kind of entry that matched: the model's `id`, a declared `alias`, a declared `prefix`, a `shortened_id` (Bedrock/Vertex affixes), or an `alias_rule`. */
  rule: z.enum(["id", "alias", "prefix", "shortened_id", "alias_rule"]).nullable(),
  /** The registered name, prefix or rule pattern that matched. */
  matched: z.string().nullable(),
  /** How the asked name was rewritten before it matched (`provider_prefix`, `date_suffix`, …). */
  steps: z.array(z.enum(NAME_STEPS)),
  /** The alias rule used, when `rule` is `alias_rule`. */
  aliasRule: absent(aliasRuleSchema),
  /** One sentence a person can read. */
  reason: z.string(),
});

/** A query that reproduces a figure: the HTTP call, the CLI command, and the row (`read`) to read. */
const adviceQuery = z.strictObject({ http: z.string(), cli: z.string(), read: z.string() });
const adviceScope = z.record(z.string(), z.string().nullable());

/** `SpendAdvice`: advice items from the ledger, each with the queries that reproduce it. */
export const spendAdviceSchema = z
  .strictObject({
    from: epochMs,
    to: epochMs,
    totalCostUsd: usdWireSchema,
    /** Groups at or above `minSharePct` of the spend, largest first. */
    /** Groups at or above `minSharePct` of the spend, largest first. */
    material: z.array(
      z.strictObject({ scope: adviceScope, costUsd: usdWireSchema, sharePct: z.number(), events: count }),
    ),
    items: z.array(
      z.strictObject({
        kind: z.enum([
          "cheaper_model",
          "low_cache_reads",
          "batch",
          "budget_forecast",
          "unreconciled_estimates",
        ]),
        title: z.string(),
        /** The group (component, taskType, provider, model) or the budget limit it is about. */
        /** The group (component, taskType, provider, model) or the budget limit it is about. */
        scope: adviceScope,
        figures: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
        /** cheaper_model: the alternatives, cheapest first, with the price version each was priced with. */
        alternatives: absent(
          z.array(
            z.strictObject({
              provider: z.string(),
              model: z.string(),
              priceVersionId: z.string(),
              costUsd: usdWireSchema,
              savingUsd: usdWireSchema,
              savingPct: z.number().nullable(),
            }),
          ),
        ),
        /** How the figures were computed. */
        method: z.string(),
        /** The report (or status, usage) queries that reproduce the figures. */
        queries: z.array(adviceQuery),
      }),
    ),
    queries: z.array(adviceQuery),
  })
  .meta({ id: "SpendAdvice" });

const modelOption = z
  .strictObject({
    provider: z.string(),
    model: z.string(),
    priceVersionId: z.string(),
    costUsd: usdWireSchema,
    /** Current cost minus this one (negative: dearer); null without a priced current model. */
    savingUsd: usdWireSchema.nullable(),
    /** Saving as a percentage of the current cost, two decimals; null without one. */
    savingPct: z.number().nullable(),
    /** Whether the work fits the budgets that would match the model; null when no dimensions were given. */
    budget: z
      .union([
        z.strictObject({ fits: z.literal(true) }),
        z.strictObject({
          fits: z.literal(false),
          budgetId: z.string(),
          limitId: z.string(),
          message: z.string(),
        }),
      ])
      .nullable(),
    capabilities: modelCapabilitiesSchema.nullable(),
    current: z.boolean(),
  })
  .meta({ id: "ModelOption" });

/** `ModelRecommendation`: models meeting a task's requirements, ranked by cost. */
export const modelRecommendationSchema = z.strictObject({
  at: epochMs,
  /** The usage priced: the calls summed. */
  usage: usageWireSchema,
  calls: count,
  requires: capabilityRequirementsSchema.nullable(),
  current: orNull(modelOption),
  /** Models meeting the requirements, cheapest first (ties by provider, model). */
  ranked: z.array(modelOption),
  /** How many models meeting the requirements there were in all. */
  qualifying: count,
  /** Models left out: requirements the sources say they miss, nobody knows, or usage they do not price. */
  excluded: z.strictObject({ missing: count, unknown: count, unpriced: count }),
  /** How every figure was computed. */
  method: z.string(),
});

/** `RepriceSummary` (`@budget/prices`): a range's totals under other prices, and what was written. */
export const repriceSummarySchema = z.strictObject({
  planId: z.string(),
  from: epochMs,
  to: epochMs,
  totals: z.strictObject({
    events: count,
    oldCostUsd: usdWireSchema,
    newCostUsd: usdWireSchema,
    deltaUsd: usdWireSchema,
  }),
  changed: count,
  skipped: count,
  applied: z.strictObject({ planId: z.string(), recorded: count, duplicates: count }).nullable(),
});

const fieldChanges = z.array(json);

/** `UpdateReport` (`@budget/prices`): how each source fared, what was applied or quarantined. */
export const priceUpdateReportSchema = z.strictObject({
  runId: z.string(),
  startedAt: epochMs,
  finishedAt: epochMs,
  sources: z.array(
    z.looseObject({ id: z.string(), ok: z.boolean(), quotes: count, skipped: count, durationMs: z.number() }),
  ),
  applied: z.array(
    z.looseObject({ provider: z.string(), model: z.string(), versionId: z.string(), changes: fieldChanges }),
  ),
  quarantined: z.array(
    z.looseObject({ pendingId: z.string(), provider: z.string(), model: z.string(), changes: fieldChanges }),
  ),
  rejected: z.array(z.strictObject({ sourceId: z.string(), reason: z.string(), message: z.string() })),
  removed: z.array(
    z.looseObject({ sourceId: z.string(), provider: z.string(), model: z.string(), action: z.string() }),
  ),
  overridden: count,
  unchanged: count,
});

/** `BulkDecision` (`@budget/prices`): the ids decided, and those decided elsewhere meanwhile. */
export const bulkDecisionSchema = z.strictObject({
  decision: z.enum(["approved", "rejected"]),
  ids: z.array(z.string()),
  skipped: z.array(z.string()),
});

/** The assistant's answer (`POST /v1/assistant`), or why there is none. */
export const assistantAnswerSchema = z.strictObject({
  status: z.enum(["answered", "denied", "failed"]),
  answer: z.string().nullable(),
  /** The tool calls the model made and the figures each was given: what the answer rests on. */
  citations: z.array(z.strictObject({ tool: z.string(), arguments: json, result: z.unknown() })),
  /** Model calls made (each reserved and committed on Budget's own engine). */
  steps: count,
  /** `denied`: the assistant's own budget refused the next model call. */
  denial: absent(denialWireSchema),
  /** `failed`: what went wrong (the model's HTTP status, no answer within `maxSteps`). */
  message: absent(z.string()),
});
