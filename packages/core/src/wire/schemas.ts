import { z } from "zod";
import { budgetInputSchema, limitSchema, windowSchema } from "../budget/budget.js";
import { DIMENSIONS, dimensionsSchema } from "../budget/dimensions.js";
import { ENFORCEMENTS } from "../budget/enforcement.js";
import { usageInputSchema } from "../usage/usage.js";

/**
 * Zod schemas of the JSON the HTTP API answers with: the `*Wire` shapes of `wire.ts` and the
 * entities routes return as they are. The server declares them on its routes (so the OpenAPI
 * document describes every response) and tests check real answers against them.
 */

/**
 * An optional field: absent, never `undefined` in its type (as the engine's types are written,
 * `exactOptionalPropertyTypes`). At run time a plain `.optional()`, which the OpenAPI generator
 * reads as "not required" (JSON carries no `undefined` either way).
 */
export function absent<T extends z.ZodType>(schema: T): z.ZodExactOptional<T> {
  return schema.optional() as unknown as z.ZodExactOptional<T>;
}

/**
 * A named schema (a `$ref` in the document) or null. Not `.nullable()`: the OpenAPI generator
 * writes that as `allOf: [$ref, {type: [object, null]}]`, which null does not satisfy.
 */
export function orNull<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.null()]);
}

/** A USD decimal string as `formatUsd` writes it (`"0.001400000"`; an adjustment may be negative). */
export const usdWireSchema = z
  .string()
  .regex(/^-?\d+\.\d{9}$/)
  .meta({ description: "USD, a decimal string with nine decimals", example: "0.001400000" });

const count = z.number().int().nonnegative();
const epochMs = z.number().int().meta({ description: "epoch ms" });
const json = z.record(z.string(), z.unknown());

/** {@link AmountsWire}. */
export const amountsWireSchema = z
  .strictObject({ tokens: count, costUsd: usdWireSchema, requests: count })
  .meta({ id: "Amounts" });

/** {@link LimitAmountsWire}: an absent field is unlimited. */
export const limitAmountsWireSchema = z
  .strictObject({
    tokens: absent(count),
    costUsd: absent(usdWireSchema),
    requests: absent(count),
    concurrency: absent(count),
  })
  .meta({ id: "LimitAmounts" });

/** A normalized usage: every count present (see `Usage`). */
export const usageWireSchema = z
  .strictObject(
    Object.fromEntries(Object.keys(usageInputSchema.shape).map((k) => [k, count])) as Record<
      keyof typeof usageInputSchema.shape,
      typeof count
    >,
  )
  .meta({ id: "Usage" });

/** {@link UsageEventWire}: one ledger row. */
export const usageEventWireSchema = z
  .strictObject({
    id: z.string(),
    kind: z.enum(["usage", "adjustment"]),
    time: epochMs,
    dimensions: dimensionsSchema,
    usage: usageWireSchema,
    costUsd: usdWireSchema,
    priceVersionId: z.string().nullable(),
    pricing: z.enum(["priced", "fallback_price", "explicit"]),
    reservationId: z.string().nullable(),
    idempotencyKey: z.string(),
  })
  .meta({ id: "UsageEvent" });

/** {@link ReservationWire}. */
export const reservationWireSchema = z
  .strictObject({
    id: z.string(),
    idempotencyKey: z.string().nullable(),
    status: z.enum(["active", "committed", "released", "expired"]),
    createdAt: epochMs,
    expiresAt: epochMs,
    dimensions: dimensionsSchema,
    estimate: amountsWireSchema,
    priceVersionId: z.string().nullable(),
    holds: z.array(z.strictObject({ key: z.string(), amounts: amountsWireSchema })),
  })
  .meta({ id: "Reservation" });

/** {@link DenialWire}: which budget and limit refused, what remains, when it resets. */
export const denialWireSchema = z
  .strictObject({
    reason: z.enum(["limit_exceeded", "unknown_model", "no_candidate"]),
    message: z.string(),
    budgetId: z.string().nullable(),
    limitId: z.string().nullable(),
    partition: z.string().nullable(),
    enforcement: z.enum(["soft_limit", "hard_limit"]).nullable(),
    window: windowSchema.nullable(),
    limit: orNull(limitAmountsWireSchema),
    current: orNull(amountsWireSchema),
    requested: amountsWireSchema,
    remaining: orNull(limitAmountsWireSchema),
    resetsAt: epochMs.nullable(),
    windowStart: epochMs.nullable(),
    retryAfterMs: count.nullable(),
  })
  .meta({ id: "Denial" });

/** `CandidateOutcome`: how one candidate model fared. */
export const candidateOutcomeSchema = z.strictObject({
  model: z.string(),
  provider: z.string().nullable(),
  outcome: z.enum(["chosen", "denied", "lacks_capabilities", "unknown_model", "not_tried"]),
  reason: z.string(),
  budgetId: absent(z.string()),
  limitId: absent(z.string()),
  missing: absent(z.array(z.string())),
  unknown: absent(z.array(z.string())),
});

/** {@link ReserveResultWire}: a hold on every matching budget, or the denial. */
export const reserveResultWireSchema = z
  .discriminatedUnion("status", [
    z.strictObject({
      status: z.literal("allowed"),
      reservationId: z.string(),
      expiresAt: epochMs,
      estimate: amountsWireSchema,
      priceVersionId: z.string().nullable(),
      fallbackModel: z.string().nullable(),
      warnings: z.array(
        z.strictObject({
          budgetId: z.string(),
          limitId: z.string(),
          enforcement: z.string(),
          message: z.string(),
        }),
      ),
      budgetIds: z.array(z.string()),
      duplicate: z.boolean(),
      grantedOutputTokens: absent(count),
      model: absent(z.string()),
      candidates: absent(z.array(candidateOutcomeSchema)),
    }),
    z.strictObject({
      status: z.literal("denied"),
      denial: denialWireSchema,
      candidates: absent(z.array(candidateOutcomeSchema)),
    }),
  ])
  .meta({ id: "ReserveResult" });

/** A stored alert (threshold crossing, denial, price change or conflict, source failure). */
export const alertSchema = z
  .strictObject({
    id: z.string(),
    dedupeKey: z.string(),
    type: z.enum(["threshold", "denial", "price_change", "price_conflict", "source_failure"]),
    severity: z.enum(["info", "warning", "critical"]),
    time: epochMs,
    message: z.string(),
    data: json,
    acknowledgedAt: epochMs.nullable(),
  })
  .meta({ id: "Alert" });

/** {@link CommitResultWire}: the ledger event and the threshold alerts it raised. */
export const commitResultWireSchema = z
  .strictObject({
    status: z.enum(["committed", "duplicate"]),
    event: usageEventWireSchema,
    alerts: z.array(alertSchema),
  })
  .meta({ id: "CommitResult" });

/** A stored budget: its definition as validated, and when it was reset, created and updated. */
export const budgetSchema = z
  .strictObject({
    ...budgetInputSchema.shape,
    limits: z.array(z.strictObject({ ...limitSchema.shape, enforcement: z.enum(ENFORCEMENTS) })),
    resetAt: epochMs.nullable(),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: "Budget" });

/** {@link LimitStatusWire}: one limit's current window for one partition. */
export const limitStatusWireSchema = z
  .strictObject({
    budgetId: z.string(),
    budgetName: z.string(),
    limitId: z.string(),
    partition: z.string(),
    window: windowSchema,
    enforcement: z.string(),
    windowStart: epochMs,
    resetsAt: epochMs.nullable(),
    limit: limitAmountsWireSchema,
    used: amountsWireSchema,
    reserved: amountsWireSchema,
    remaining: limitAmountsWireSchema,
    inFlight: absent(count),
    utilization: z.number(),
  })
  .meta({ id: "LimitStatus" });

/** The counts of `statusSummary` (and of a budget status page). */
export const statusCountsSchema = z.strictObject({
  budgets: count,
  disabled: count,
  closed: count,
  limits: count,
  over: count,
  near: count,
  within: count,
});

/** `GET /v1/status/summary`. */
export const statusSummaryWireSchema = z.strictObject({
  counts: statusCountsSchema,
  top: z.array(limitStatusWireSchema),
});

/** `GET /v1/status/budgets`: a page of budgets with their limit statuses. */
export const budgetStatusPageWireSchema = z.strictObject({
  items: z.array(
    z.strictObject({
      budget: budgetSchema,
      limits: z.array(limitStatusWireSchema),
      utilization: z.number(),
      resetsAt: epochMs.nullable(),
    }),
  ),
  total: count,
  offset: count,
  counts: statusCountsSchema,
});

/** {@link ReportRowWire}: one group × bucket of a usage report. */
export const reportRowWireSchema = z.strictObject({
  bucketStart: epochMs.nullable(),
  group: z.strictObject(
    Object.fromEntries(DIMENSIONS.map((d) => [d, absent(z.string().nullable())])) as Record<
      (typeof DIMENSIONS)[number],
      z.ZodExactOptional<z.ZodNullable<z.ZodString>>
    >,
  ),
  events: count,
  tokens: count,
  costUsd: usdWireSchema,
  requests: count,
});

/** {@link PricedWire}: what a usage costs, or why it cannot be priced. */
export const pricedWireSchema = z.discriminatedUnion("ok", [
  z.strictObject({
    ok: z.literal(true),
    costUsd: usdWireSchema,
    priceVersionId: z.string().nullable(),
    pricing: z.enum(["priced", "fallback_price", "explicit"]),
    resolvedProvider: absent(z.string().nullable()),
  }),
  z.strictObject({ ok: z.literal(false), provider: z.string().nullable(), model: z.string().nullable() }),
]);

/** `reconcileToWire`: events read, drifted counters, counters with slices out. */
export const reconcileWireSchema = z.strictObject({
  events: count,
  repaired: z.boolean(),
  skipped: count,
  drift: z.array(z.strictObject({ key: z.string(), stored: amountsWireSchema, ledger: amountsWireSchema })),
  slices: z.array(
    z.strictObject({
      key: z.string(),
      budgetId: z.string(),
      limitId: z.string(),
      slices: count,
      granted: amountsWireSchema,
      held: amountsWireSchema,
      unsettled: amountsWireSchema,
    }),
  ),
});

/** A page of a list: its items and the cursor of the next page (null: the last page). */
export function pageWireSchema<T extends z.ZodType>(item: T) {
  return z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });
}
