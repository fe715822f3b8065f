import type { Amounts, SliceStatus } from "@budget/core";
import { addAmounts, type CounterState, subtractAmounts, zeroAmounts } from "@budget/core/store-kit";
import { toBigint, toNullableNumber, toNumber } from "./convert.js";
import { counterFromRow } from "./rows.js";

/** Separates a shared counter's key from the owner in its slice's key (ADR 0010). */
export const SLICE_MARK = "~slice~";

/** The key of `owner`'s slice of the counter `parent`. */
export const sliceKeyOf = (parent: string, owner: string): string => `${parent}${SLICE_MARK}${owner}`;

/** A counter row with its slice columns. */
export interface SliceRow {
  state: CounterState;
  /** The shared counter's key when this row is a slice, else null. */
  sliceOf: string | null;
  owner: string | null;
  grant: Amounts;
  expiresAt: number | null;
}

/** A `counters` row with the columns of migration 0009. */
export function sliceRowFromRow(row: Record<string, unknown>): SliceRow {
  return {
    state: counterFromRow(row),
    sliceOf: (row.slice_of as string | null | undefined) ?? null,
    owner: (row.slice_owner as string | null | undefined) ?? null,
    grant: {
      tokens: toNumber(row.grant_tokens ?? 0),
      costNanoUsd: toBigint(row.grant_cost_nano ?? 0),
      requests: toNumber(row.grant_requests ?? 0),
    },
    expiresAt: toNullableNumber(row.slice_expires_at),
  };
}

/**
 * The shared counters of `rows` with their slices folded in: each slice's used added, and its
 * grant (counted in the shared row's reserved) replaced by what its holds reserve. So reads are
 * exact whether slices are settled or not.
 */
export function foldSlices(rows: readonly SliceRow[]): CounterState[] {
  const shared = new Map<string, CounterState>();
  for (const r of rows) if (r.sliceOf === null) shared.set(r.state.key, r.state);
  for (const r of rows) {
    if (r.sliceOf === null) continue;
    const parent = shared.get(r.sliceOf);
    if (!parent) continue;
    parent.used = addAmounts(parent.used, r.state.used);
    parent.reserved = addAmounts(subtractAmounts(parent.reserved, r.grant), r.state.reserved);
  }
  return [...shared.values()];
}

/** Slice rows summed per shared counter: what `Store.sliceStatus` answers. */
export function sliceStatusOf(rows: readonly SliceRow[]): SliceStatus[] {
  const by = new Map<string, SliceStatus>();
  for (const r of rows) {
    if (r.sliceOf === null) continue;
    let s = by.get(r.sliceOf);
    if (!s) {
      const { used: _u, reserved: _r, ...ref } = r.state;
      s = {
        counter: { ...ref, key: r.sliceOf },
        slices: 0,
        granted: zeroAmounts(),
        held: zeroAmounts(),
        unsettled: zeroAmounts(),
      };
      by.set(r.sliceOf, s);
    }
    s.slices += 1;
    s.granted = addAmounts(s.granted, r.grant);
    s.held = addAmounts(s.held, r.state.reserved);
    s.unsettled = addAmounts(s.unsettled, r.state.used);
  }
  return [...by.values()];
}
