import { z } from "zod";

/**
 * When a quoted price change applies by itself, and when a feed is refused. Every field has a
 * default, so `updatePolicySchema.parse({})` is the standard policy.
 */
export const updatePolicySchema = z.object({
  /** Relative difference within which two sources agree (0.01 = 1%). */
  tolerance: z.number().min(0).max(1).default(0.01),
  /** Sources that must agree for a change to apply without a trusted source. */
  minAgreeingSources: z.number().int().min(1).default(2),
  /** A single source at least this trusted may change a price on its own… */
  trustedMinTrust: z.number().min(0).max(1).default(0.9),
  /** …by at most this share up or down (0.5 = ±50%). */
  trustedMaxChange: z.number().min(0).default(0.5),
  /** Models new to the catalog are added from one source at least this trusted. */
  autoAddNewModels: z.boolean().default(true),
  newModelMinTrust: z.number().min(0).max(1).default(0.8),
  /** Sources at least this trusted (manual overrides) apply unconditionally and are never overwritten. */
  overrideTrust: z.number().min(0).max(1).default(1),
  /** A feed missing more than this share of the models it listed last time is refused. */
  maxDropShare: z.number().min(0).max(1).default(0.2),
  /** A price above this many USD per million tokens is absurd. */
  absurdPerMtok: z.number().positive().default(10_000),
  /** A unit price (request, image, search) above this many USD is absurd. */
  absurdPerUnit: z.number().positive().default(1_000),
  /**
   * Absurd entries up to this share of a feed are dropped one by one (real feeds carry a few
   * unit mistakes); past it the whole feed is refused.
   */
  maxAbsurdShare: z.number().min(0).max(1).default(0.01),
  /** A model a source no longer lists: hold its closing for approval, close it now, or keep it. */
  onRemoved: z.enum(["quarantine", "close", "keep"]).default("quarantine"),
  /** A new model quoted at $0 input or output (base or a tier) is quarantined, whatever the source's trust. */
  newModelQuarantineZero: z.boolean().default(true),
});

/** A parsed {@link updatePolicySchema}. */
export type UpdatePolicy = z.infer<typeof updatePolicySchema>;
/** Policy fields as configuration gives them (all optional). */
export type UpdatePolicyInput = z.input<typeof updatePolicySchema>;
