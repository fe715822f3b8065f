import { BudgetError } from "@budget/core";

/** The ranges {@link resolveSliceOptions} accepts (the server's config schema states the same). */
export const SLICE_BOUNDS = {
  ttlMsMin: 100,
  ttlMsMax: 600_000,
  ttlMsDefault: 2_000,
  shareMax: 0.5,
  shareDefault: 0.25,
};

/** `slices` of `createPostgresStore` (ADR 0010). */
export interface SliceOptions {
  /** Take slices of capped limits (default false). */
  enabled?: boolean;
  /**
   * How long a slice is held before it must be renewed, in ms (default 2 000, 100–600 000); a
   * slice never outlives its counter's window either. Rolling limits are not sliced (ADR 0012).
   */
  ttlMs?: number;
  /** Most of a limit's remainder one take may have (default 0.25; more than 0 and at most 0.5). */
  share?: number;
}

/** Valid slice options, or null when slices are off; anything out of range is refused, named. */
export function resolveSliceOptions(o: SliceOptions | undefined): { ttlMs: number; share: number } | null {
  if (!o?.enabled) return null;
  const { ttlMsMin, ttlMsMax, shareMax } = SLICE_BOUNDS;
  const ttlMs = o.ttlMs ?? SLICE_BOUNDS.ttlMsDefault;
  if (!Number.isInteger(ttlMs) || ttlMs < ttlMsMin || ttlMs > ttlMsMax)
    throw new BudgetError(
      "invalid_input",
      `slices.ttlMs must be a whole number of ms from ${ttlMsMin} to ${ttlMsMax}, got ${ttlMs}`,
    );
  const share = o.share ?? SLICE_BOUNDS.shareDefault;
  if (!(share > 0 && share <= shareMax))
    throw new BudgetError(
      "invalid_input",
      `slices.share must be more than 0 and at most ${shareMax}, got ${share}`,
    );
  return { ttlMs, share };
}
