import type { Alert, Amounts, CounterRef, CounterState, Reservation, UsageEvent } from "@budget/core";
import { rollupOf } from "./plan.js";
import { alertToRow, eventToRow, reservationToRow } from "./rows.js";
import { EVENT_COLUMNS, ROLLUP_COLUMNS } from "./sql-text.js";

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
  event(e: UsageEvent): Param[] {
    const row = eventToRow(e) as unknown as Record<string, Param>;
    return EVENT_COLUMNS.map((c) => row[c] ?? null);
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
  rollup(e: UsageEvent): Param[] {
    const row = rollupOf(e);
    return ROLLUP_COLUMNS.map((c) => row[c] ?? null);
  },
};
