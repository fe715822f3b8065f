import { z } from "zod";
import {
  nonNegativeDecimalSchema,
  positiveDecimalSchema,
  positiveIntSchema,
  timeZoneSchema,
} from "../validation/common-schemas.js";
import { DIMENSIONS, type Dimension } from "./dimensions.js";
import { ENFORCEMENTS, type Enforcement, isClosedAt } from "./enforcement.js";

export { ENFORCEMENTS, type Enforcement, isClosedAt };

/** A scope value: an exact value, or `{ each: true }` for a separate counter per distinct value. */
export const scopeValueSchema = z.union([
  z.string().min(1).max(256),
  z.object({ each: z.literal(true) }).strict(),
]);

/** Zod schema of a {@link Scope}; an unset dimension is a wildcard. */
export const scopeSchema = z
  .object({
    ...(Object.fromEntries(DIMENSIONS.map((d) => [d, scopeValueSchema.optional()])) as Record<
      Dimension,
      z.ZodOptional<typeof scopeValueSchema>
    >),
    /** Every listed tag must be present on the usage. */
    tags: z.array(z.string().min(1).max(256)).max(32).optional(),
  })
  .strict();

const CALENDAR_UNITS = ["hour", "day", "week", "month", "quarter", "year"] as const;

/** Zod schema of a {@link Window}. */
export const windowSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.enum(CALENDAR_UNITS),
      /** month/quarter/year: the day the period starts on (1–31, clamped to short months). */
      anchorDay: z.number().int().min(1).max(31).optional(),
      /** year: the month (1–12) the year starts in; quarter: the first quarter's month (1–3). */
      anchorMonth: z.number().int().min(1).max(12).optional(),
      /** week: the weekday the week starts on, 0 = Sunday … 6 = Saturday (default 1, Monday). */
      anchorWeekday: z.number().int().min(0).max(6).optional(),
      /** day and longer: the local hour the period starts at (default 0). */
      anchorHour: z.number().int().min(0).max(23).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal("rolling"),
      minutes: z
        .number()
        .int()
        .positive()
        .max(366 * 24 * 60),
    })
    .strict(),
  z.object({ type: z.literal("lifetime") }).strict(),
]);

const positiveInt = positiveIntSchema;
const positiveUsd = positiveDecimalSchema;
const nonNegativeUsd = nonNegativeDecimalSchema;

/** Zod schema of a {@link Limit}. */
export const limitSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be 1-64 letters, digits, '.', '_' or '-'"),
    window: windowSchema,
    tokens: positiveInt.optional(),
    /** USD, as a decimal string. */
    cost: positiveUsd.optional(),
    requests: positiveInt.optional(),
    /** Reservations in flight at once (per partition): held until commit, release or expiry. */
    concurrency: z.number().int().positive().max(1_000_000).optional(),
    enforcement: z.enum(ENFORCEMENTS).default("hard_limit"),
    thresholds: z.array(z.number().gt(0).max(10)).max(10).default([0.5, 0.8, 1]),
    /** Extra room a `critical` request may use past a hard limit. */
    overdraft: z
      .object({
        tokens: positiveInt.optional(),
        cost: nonNegativeUsd.optional(),
        requests: positiveInt.optional(),
      })
      .strict()
      .optional(),
    /**
     * The share of every amount (and concurrency slot) kept for `high` and `critical` callers:
     * `0.1` lets `low` and `normal` ones use only 90 % of the limit.
     */
    priorityShare: z.number().gt(0).lt(1).optional(),
    /** soft_limit: the cheaper model to answer with when the requested one no longer fits. */
    fallbackModel: z.string().min(1).optional(),
  })
  .strict()
  .refine(
    (l) =>
      l.tokens !== undefined ||
      l.cost !== undefined ||
      l.requests !== undefined ||
      l.concurrency !== undefined,
    { message: "a limit needs at least one of tokens, cost, requests or concurrency" },
  );

const limitIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "must be 1-64 letters, digits, '.', '_' or '-'");
const nonNegativeInt = z.number().int("must be an integer").min(0).max(Number.MAX_SAFE_INTEGER);

/** Zod schema of an {@link Override}: other amounts for one partition of an `each` budget. */
export const overrideSchema = z
  .object({
    /** The partition: a value for each of the budget's `each` dimensions. */
    match: z.partialRecord(z.enum(DIMENSIONS), z.string().min(1).max(256)),
    /** Per limit id, the amounts that replace the limit's for this partition; 0 blocks. */
    limits: z.record(
      limitIdSchema,
      z
        .object({
          tokens: nonNegativeInt.optional(),
          cost: nonNegativeUsd.optional(),
          requests: nonNegativeInt.optional(),
          concurrency: nonNegativeInt.max(1_000_000).optional(),
        })
        .strict(),
    ),
  })
  .strict();

/** Issues of a budget's overrides: a `match` must name exactly its `each` dimensions, once; limits must exist. */
function overrideIssues(b: { scope: Scope; limits: { id: string }[]; overrides?: Override[] | undefined }) {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const each = DIMENSIONS.filter((d) => typeof b.scope[d] === "object");
  const limitIds = new Set(b.limits.map((l) => l.id));
  const seen = new Set<string>();
  for (const [i, o] of (b.overrides ?? []).entries()) {
    for (const d of Object.keys(o.match))
      if (!each.includes(d as Dimension))
        issues.push({
          path: ["overrides", i, "match", d],
          message: `the budget does not partition by ${d} (its each dimensions: ${each.join(", ") || "none"})`,
        });
    for (const d of each)
      if (o.match[d] === undefined)
        issues.push({ path: ["overrides", i, "match", d], message: `an override names a value for ${d}` });
    for (const id of Object.keys(o.limits))
      if (!limitIds.has(id))
        issues.push({ path: ["overrides", i, "limits", id], message: `the budget has no limit ${id}` });
    const key = each.map((d) => o.match[d]).join("\u0000");
    if (seen.has(key))
      issues.push({ path: ["overrides", i, "match"], message: "another override has this match" });
    seen.add(key);
  }
  return issues;
}

/** Scope values that read like a wildcard or `each` but would match only that literal value. */
const LOOKS_LIKE_WILDCARD = new Set(["*", "each", "{each}"]);

/**
 * Scopes that would match far more (or other) than meant: a run budget (id `run:…`, `run-…`,
 * `run_…`) with an empty scope matches every call; `"*"` or `"each"` as a value matches only
 * that literal. Each issue names its field.
 */
export function accidentalScopeIssues(id: string, scope: Scope): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  if (/^run[:_-]/.test(id) && Object.values(scope).every((v) => v === undefined))
    issues.push({
      path: ["scope", "run"],
      message: `budget "${id}" is named for a run but its scope is empty, so it would match every call: set scope.run`,
    });
  for (const d of DIMENSIONS) {
    const v = scope[d];
    if (typeof v === "string" && LOOKS_LIKE_WILDCARD.has(v))
      issues.push({
        path: ["scope", d],
        message: `"${v}" is not a wildcard: leave ${d} unset to match any value, or use { "each": true } for a counter per value`,
      });
  }
  return issues;
}

/** Zod schema of a budget definition as users write it. */
export const budgetInputSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, "must be 1-128 letters, digits, '.', '_', ':' or '-'"),
    name: z.string().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    scope: scopeSchema.default({}),
    limits: z.array(limitSchema).min(1, "a budget needs at least one limit").max(20),
    /** Per-partition exceptions of an `each` budget ("every user $10/day; alice $50/day"). */
    overrides: z.array(overrideSchema).max(10_000).optional(),
    /** IANA time zone of calendar windows. */
    timezone: timeZoneSchema,
    enabled: z.boolean().default(true),
    /** Epoch ms from which the budget is matched (absent: from always). */
    activeFrom: z.number().int().min(0).optional(),
    /**
     * Epoch ms from which the budget is closed: it keeps its counters, history and reports but is
     * no longer matched, listed in status by default, or held in the engines' hot set.
     */
    activeUntil: z.number().int().min(0).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    for (const issue of accidentalScopeIssues(b.id, b.scope)) ctx.addIssue({ code: "custom", ...issue });
    for (const issue of overrideIssues(b)) ctx.addIssue({ code: "custom", ...issue });
  })
  .refine((b) => b.activeFrom === undefined || b.activeUntil === undefined || b.activeUntil > b.activeFrom, {
    message: "activeUntil must be after activeFrom",
    path: ["activeUntil"],
  })
  .refine((b) => new Set(b.limits.map((l) => l.id)).size === b.limits.length, {
    message: "limit ids must be unique within a budget",
    path: ["limits"],
  });

export type ScopeValue = z.infer<typeof scopeValueSchema>;
/** A selector over usage dimensions. */
export type Scope = z.infer<typeof scopeSchema>;
/** A calendar, rolling or lifetime window. */
export type Window = z.infer<typeof windowSchema>;
/** A window + amounts + enforcement + alert thresholds. */
export type Limit = z.infer<typeof limitSchema>;
/** Other amounts for one partition of an `each` budget. */
export type Override = z.infer<typeof overrideSchema>;
export type BudgetInput = z.input<typeof budgetInputSchema>;

/** Whether the budget's active period contains `at` (see `activeFrom`/`activeUntil`). */
export function isActiveAt(budget: Pick<Budget, "activeFrom" | "activeUntil">, at: number): boolean {
  return (budget.activeFrom === undefined || at >= budget.activeFrom) && !isClosedAt(budget, at);
}

/** A stored budget: a named scope plus one or more limits. */
export interface Budget extends z.infer<typeof budgetInputSchema> {
  /** Epoch ms of the last reset; windows start no earlier than this. */
  resetAt: number | null;
  createdAt: number;
  updatedAt: number;
}
