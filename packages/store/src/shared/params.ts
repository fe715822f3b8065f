import { type Alert, type Amounts, DIMENSIONS, type Reservation, type UsageEvent } from "@budget/core";
import { type CounterRef, type CounterState, USAGE_FIELDS } from "@budget/core/store-kit";
import { alertToRow, reservationToRow } from "./rows.js";

/** Positional parameters of the statements in `SQL`, in their column order. */
type Param = string | number | bigint | null;

const refParams = (r: CounterRef): Param[] => [
  r.key,
  r.budgetId,
  r.limitId,
  r.partition,
  r.windowStart,
  r.windowEnd,
];
const amountParams = (a: Amounts): Param[] => [a.tokens, a.costNanoUsd, a.requests];

export const params = {
  reservation(r: Reservation): Param[] {
    const row = reservationToRow(r);
    return [
      row.id,
      row.idempotency_key,
      row.status,
      r.createdAt,
      r.expiresAt,
      row.dimensions,
      r.estimate.tokens,
      r.estimate.costNanoUsd,
      r.estimate.requests,
      row.price_version_id,
      row.holds,
    ];
  },
  putCounter: (c: CounterState): Param[] => [
    ...refParams(c),
    ...amountParams(c.used),
    ...amountParams(c.reserved),
  ],
  setUsed: (ref: CounterRef, used: Amounts): Param[] => [...refParams(ref), ...amountParams(used)],
  /** An event in `EVENT_COLUMNS` order: a column per dimension and usage field, no price data. */
  event(e: UsageEvent): Param[] {
    const d = e.dimensions;
    const out: Param[] = [e.id, e.idempotencyKey, e.kind, e.time];
    for (const k of DIMENSIONS) out.push(d[k] ?? null);
    out.push(d.tags && d.tags.length > 0 ? JSON.stringify(d.tags) : null);
    for (const f of USAGE_FIELDS) out.push(e.usage[f]);
    out.push(e.costNanoUsd, e.priceVersionId, e.pricing, e.reservationId);
    return out;
  },
  alert(a: Alert): Param[] {
    const row = alertToRow(a);
    return [
      row.id,
      row.dedupe_key,
      row.type,
      row.severity,
      row.time,
      row.message,
      row.data,
      row.acknowledged_at,
    ];
  },
};
