import { z } from "zod";
import type { Window } from "../budget/budget.js";
import { DIMENSIONS, type Dimension, type Dimensions, dimensionsSchema } from "../budget/dimensions.js";
import type { NanoUsd } from "../money/nano-usd.js";
import type { Alert, Amounts, UsageEvent } from "../ports/store.js";
import { capabilityRequirementsSchema } from "../price/capabilities.js";
import { makeUsage, usageInputSchema } from "../usage/usage.js";
import { timeZoneSchema } from "../validation/common-schemas.js";

const usdString = z
  .string()
  .max(40, "must be at most 40 characters")
  .regex(/^\d+(\.\d+)?$/, 'must be a non-negative USD decimal string such as "0.25"');
const idempotencyKey = z.string().min(1).max(256);

/** Zod schema of a {@link ReserveRequest}. */
export const reserveRequestSchema = z
  .object({
    dimensions: dimensionsSchema,
    /** The estimate: prompt tokens counted or estimated, plus the maximum output tokens. */
    estimate: usageInputSchema.default(makeUsage),
    /** Overrides the estimated cost (USD decimal string), e.g. for a non-token-priced call. */
    costUsd: usdString.optional(),
    /** `high` and `critical` may use a limit's `priorityShare`; `critical` also passes soft limits and uses overdrafts. */
    priority: z.enum(["low", "normal", "high", "critical"]).default("normal"),
    /** Wait up to this long (at most the engine's `maxWaitMs`) for capacity instead of being denied. */
    waitMs: z.number().int().min(0).max(3_600_000).optional(),
    ttlMs: z.number().int().min(1_000).max(86_400_000).optional(),
    idempotencyKey: idempotencyKey.optional(),
    batch: z.boolean().default(false),
    /**
     * Ask for "up to" the estimate's output tokens, at least this many: when the estimate does not
     * fit, the most output tokens that fit every token and cost limit are held (`grantedOutputTokens`).
     */
    minOutputTokens: z.number().int().min(0).max(1_000_000_000).optional(),
    /**
     * Models the call may use, most preferred first: the engine holds the first that meets
     * `requires` and fits every matching budget (each try all-or-nothing), in place of
     * `dimensions.model` (and `dimensions.provider` when a candidate names one).
     */
    candidates: z
      .array(
        z.union([
          z
            .string()
            .min(1)
            .max(256)
            .transform((model) => ({ model })),
          z
            .object({ model: z.string().min(1).max(256), provider: z.string().min(1).max(256).optional() })
            .strict(),
        ]),
      )
      .min(1)
      .max(20)
      .optional(),
    /** What a candidate must offer (published capabilities; unknown does not qualify). */
    requires: capabilityRequirementsSchema.optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.minOutputTokens !== undefined && r.minOutputTokens > r.estimate.outputTokens)
      ctx.addIssue({
        code: "custom",
        path: ["minOutputTokens"],
        message: `must be at most estimate.outputTokens (${r.estimate.outputTokens})`,
      });
  });

/** How one candidate model of a reservation fared. */
export interface CandidateOutcome {
  model: string;
  provider: string | null;
  /** `chosen`; `denied` by a budget; `lacks_capabilities`; `unknown_model`; `not_tried` (an earlier one was chosen). */
  outcome: "chosen" | "denied" | "lacks_capabilities" | "unknown_model" | "not_tried";
  /** Why, in words. */
  reason: string;
  budgetId?: string;
  limitId?: string;
  /** lacks_capabilities: requirements the sources say it misses, and those nobody states. */
  missing?: string[];
  unknown?: string[];
}

/** Zod schema of a {@link CommitRequest}. */
export const commitRequestSchema = z
  .object({
    reservationId: z.string().min(1).max(128),
    usage: usageInputSchema,
    costUsd: usdString.optional(),
    /** The model actually called, when it differs from the reservation's (e.g. a fallback). */
    model: z.string().min(1).max(256).optional(),
    /**
     * Tags added to the reservation's on the ledger event, e.g. `estimated` for usage the caller
     * could only estimate. Like every tag they select budgets: usage counts toward budgets scoped on
     * them too (where the reservation placed no hold).
     */
    tags: dimensionsSchema.shape.tags,
    /** Defaults to `commit:<reservationId>`, so a retried commit counts once. */
    idempotencyKey: idempotencyKey.optional(),
    batch: z.boolean().default(false),
  })
  .strict();

/** Zod schema of a {@link RecordRequest}. */
export const recordRequestSchema = z
  .object({
    dimensions: dimensionsSchema,
    usage: usageInputSchema,
    costUsd: usdString.optional(),
    /** When the call happened (epoch ms); defaults to now, cannot be in the future. */
    time: z.number().int().nonnegative().optional(),
    idempotencyKey: idempotencyKey.optional(),
    batch: z.boolean().default(false),
  })
  .strict();

/** Zod schema of a {@link ReportQuery}. */
export const reportQuerySchema = z
  .object({
    from: z.number().int().optional(),
    to: z.number().int().optional(),
    groupBy: z.array(z.enum(DIMENSIONS)).max(DIMENSIONS.length).default([]),
    bucket: z.enum(["none", "hour", "day", "week", "month"]).default("none"),
    timezone: timeZoneSchema,
    dimensions: dimensionsSchema.optional(),
  })
  .strict();

export type ReserveRequest = z.input<typeof reserveRequestSchema>;
/** What a reserve takes besides its request: an `AbortSignal` that cancels a wait. */
export interface ReserveOptions {
  signal?: AbortSignal;
}
export type CommitRequest = z.input<typeof commitRequestSchema>;
export type RecordRequest = z.input<typeof recordRequestSchema>;
export type ReportQuery = z.input<typeof reportQuerySchema>;

/** Amounts a limit allows; an absent field is unlimited. */
export interface LimitAmounts {
  tokens?: number;
  costNanoUsd?: NanoUsd;
  requests?: number;
  /** Reservations in flight at once. */
  concurrency?: number;
}

/** Why a reservation was refused: which budget and limit, what remains, when it resets. */
export interface Denial {
  /** `no_candidate`: no candidate model meets the reservation's `requires`. */
  reason: "limit_exceeded" | "unknown_model" | "no_candidate";
  message: string;
  budgetId: string | null;
  limitId: string | null;
  partition: string | null;
  enforcement: "soft_limit" | "hard_limit" | null;
  window: Window | null;
  limit: LimitAmounts | null;
  /** Used + reserved in the window when the request arrived. */
  current: Amounts | null;
  requested: Amounts;
  /** What is left under the limit (never negative); absent fields are unlimited. */
  remaining: LimitAmounts | null;
  /** Epoch ms when the window resets (null: lifetime). */
  resetsAt: number | null;
  /** Epoch ms the blocking window (a rolling window's newest bucket) started; null without a limit. */
  windowStart: number | null;
  /**
   * How long to wait before the same request would fit: until a calendar window resets, or until
   * enough of a rolling window's usage ages out. Null when waiting cannot help (a lifetime window,
   * a request larger than the limit) or cannot be foreseen (a concurrency limit: use `waitMs`).
   */
  retryAfterMs: number | null;
}

/** A limit past a threshold that did not block (warn, or a critical request through a soft limit). */
export interface ReserveWarning {
  budgetId: string;
  limitId: string;
  enforcement: string;
  message: string;
}

/** The answer to a reserve: a hold was placed on every matching budget, or none was. */
export type ReserveResult =
  | {
      status: "allowed";
      reservationId: string;
      expiresAt: number;
      estimate: Amounts;
      priceVersionId: string | null;
      /** soft_limit: use this cheaper model instead of the requested one. */
      fallbackModel: string | null;
      warnings: ReserveWarning[];
      /** Budgets whose counters hold this reservation. */
      budgetIds: string[];
      duplicate: boolean;
      /** With `minOutputTokens`: the output tokens held (set the call's `max_tokens` to it). */
      grantedOutputTokens?: number;
      /** With `candidates`: the model held (call it), and how every candidate fared. */
      model?: string;
      candidates?: CandidateOutcome[];
    }
  | { status: "denied"; denial: Denial; candidates?: CandidateOutcome[] };

/** The answer to a commit or record. */
export interface CommitResult {
  status: "committed" | "duplicate";
  event: UsageEvent;
  /** Threshold alerts this event raised (each only once per window). */
  alerts: Alert[];
}

/** Zod schema of a {@link StatusQuery}. */
export const statusQuerySchema = z
  .object({
    budgetId: z.string().min(1).max(256).optional(),
    partition: z.string().max(2000).optional(),
    /** Also budgets whose `activeUntil` has passed (default false). */
    includeClosed: z.boolean().optional(),
    /** `id` (default): by budget id; `utilization`: the closest to their limits first. */
    order: z.enum(["id", "utilization"]).optional(),
    /** At most this many rows. */
    limit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

/** What `status` shows: one budget (and partition), else every open budget, or closed ones too. */
export type StatusQuery = z.input<typeof statusQuerySchema>;

/** Zod schema of the query of `statusSummary`. */
export const statusSummaryQuerySchema = z
  .object({
    /** How many of the limits closest to their limits to return (default 10). */
    top: z.number().int().min(0).max(1000).optional(),
    includeClosed: z.boolean().optional(),
  })
  .strict();

/** What `statusSummary` covers. */
export type StatusSummaryQuery = z.input<typeof statusSummaryQuerySchema>;

/** Budgets and limits by state, and the limits closest to their limits (see `statusSummary`). */
export interface StatusSummary {
  counts: {
    /** Budgets considered: the open ones (and closed ones with `includeClosed`). */
    budgets: number;
    disabled: number;
    closed: number;
    /** Limit rows (one per limit and partition in its current window). */
    limits: number;
    /** Limits at or past 100 % used. */
    over: number;
    /** Limits at 80 % or more, under 100 %. */
    near: number;
    /** Limits under 80 %. */
    within: number;
  };
  /** The limits closest to their limits, highest utilization first. */
  top: LimitStatus[];
}

/** One limit's current window, for one partition. */
export interface LimitStatus {
  budgetId: string;
  budgetName: string;
  limitId: string;
  partition: string;
  window: Window;
  enforcement: string;
  windowStart: number;
  resetsAt: number | null;
  limit: LimitAmounts;
  used: Amounts;
  reserved: Amounts;
  remaining: LimitAmounts;
  /** Reservations of this partition in flight now (a limit with `concurrency` only). */
  inFlight?: number;
  /** Highest used/limit ratio over the limited amounts. */
  utilization: number;
}

/** One row of a usage report. */
export interface ReportRow {
  bucketStart: number | null;
  group: Partial<Record<Dimension, string | null>>;
  events: number;
  tokens: number;
  costNanoUsd: NanoUsd;
  requests: number;
}

/** What the engine tells listeners (the server turns these into SSE and webhooks). */
export type EngineEvent =
  | { type: "usage"; event: UsageEvent }
  | { type: "reservation"; dimensions: Dimensions; result: ReserveResult }
  | { type: "release"; reservationId: string; status: "released" | "expired" }
  | { type: "alert"; alert: Alert }
  | { type: "budget"; budgetId: string; change: "upserted" | "deleted" | "reset" | "closed" | "reopened" };
