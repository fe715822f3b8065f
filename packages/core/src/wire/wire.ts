import type { z } from "zod";
import type { Priced } from "../engine/pricing.js";
import type {
  CommitResult,
  Denial,
  LimitAmounts,
  LimitStatus,
  ReportRow,
  ReserveResult,
} from "../engine/requests.js";
import { formatUsd, usdToNano } from "../money/nano-usd.js";
import type { Amounts, Reservation, SliceStatus, UsageEvent } from "../ports/store.js";
import type {
  amountsWireSchema,
  budgetStatusPageWireSchema,
  commitResultWireSchema,
  denialWireSchema,
  limitAmountsWireSchema,
  limitStatusWireSchema,
  pricedWireSchema,
  reportRowWireSchema,
  reservationWireSchema,
  reserveResultWireSchema,
  statusSummaryWireSchema,
  usageEventWireSchema,
} from "./schemas.js";

/**
 * The HTTP wire format of engine results: the same shapes as the core types, except that money
 * is a USD decimal string (`costNanoUsd: 1400000n` ↔ `costUsd: "0.001400000"`), so JSON carries
 * it exactly. The server, the MCP server and the CLI's `--json` serialize with the `*ToWire`
 * functions and the client parses back with the `*FromWire` ones: one mapping, both directions,
 * in one place. Each type is its zod schema's (`schemas.ts`), the schema the routes declare.
 */
export type AmountsWire = z.infer<typeof amountsWireSchema>;
/** {@link LimitAmounts} on the wire. */
export type LimitAmountsWire = z.infer<typeof limitAmountsWireSchema>;
/** {@link UsageEvent} on the wire. */
export type UsageEventWire = z.infer<typeof usageEventWireSchema>;
/** {@link Reservation} on the wire. */
export type ReservationWire = z.infer<typeof reservationWireSchema>;
/** {@link Denial} on the wire. */
export type DenialWire = z.infer<typeof denialWireSchema>;
/** {@link ReserveResult} on the wire. */
export type ReserveResultWire = z.infer<typeof reserveResultWireSchema>;
/** {@link CommitResult} on the wire. */
export type CommitResultWire = z.infer<typeof commitResultWireSchema>;
/** {@link LimitStatus} on the wire. */
export type LimitStatusWire = z.infer<typeof limitStatusWireSchema>;
/** {@link ReportRow} on the wire. */
export type ReportRowWire = z.infer<typeof reportRowWireSchema>;
/** {@link Priced} on the wire. */
export type PricedWire = z.infer<typeof pricedWireSchema>;
/** `GET /v1/status/summary`: the summary with its top limits on the wire. */
export type StatusSummaryWire = z.infer<typeof statusSummaryWireSchema>;
/** `GET /v1/status/budgets`: a page of budgets with their limit statuses on the wire. */
export type BudgetStatusPageWire = z.infer<typeof budgetStatusPageWireSchema>;

const nullable =
  <A, B>(f: (a: A) => B) =>
  (a: A | null): B | null =>
    a === null ? null : f(a);

/** Amounts → wire. */
export function amountsToWire(a: Amounts): AmountsWire {
  return { tokens: a.tokens, costUsd: formatUsd(a.costNanoUsd), requests: a.requests };
}

/** Wire → amounts. */
export function amountsFromWire(a: AmountsWire): Amounts {
  return { tokens: a.tokens, costNanoUsd: usdToNano(a.costUsd), requests: a.requests };
}

/** Limit amounts → wire (absent fields stay absent: unlimited). */
export function limitAmountsToWire(a: LimitAmounts): LimitAmountsWire {
  const out: LimitAmountsWire = {};
  if (a.tokens !== undefined) out.tokens = a.tokens;
  if (a.costNanoUsd !== undefined) out.costUsd = formatUsd(a.costNanoUsd);
  if (a.requests !== undefined) out.requests = a.requests;
  if (a.concurrency !== undefined) out.concurrency = a.concurrency;
  return out;
}

/** Wire → limit amounts. */
export function limitAmountsFromWire(a: LimitAmountsWire): LimitAmounts {
  const out: LimitAmounts = {};
  if (a.tokens !== undefined) out.tokens = a.tokens;
  if (a.costUsd !== undefined) out.costNanoUsd = usdToNano(a.costUsd);
  if (a.requests !== undefined) out.requests = a.requests;
  if (a.concurrency !== undefined) out.concurrency = a.concurrency;
  return out;
}

/** Usage event → wire. */
export function usageEventToWire(e: UsageEvent): UsageEventWire {
  const { costNanoUsd, ...rest } = e;
  return { ...rest, costUsd: formatUsd(costNanoUsd) };
}

/** Wire → usage event. */
export function usageEventFromWire(e: UsageEventWire): UsageEvent {
  const { costUsd, ...rest } = e;
  return { ...rest, costNanoUsd: usdToNano(costUsd) };
}

/** Reservation → wire. */
export function reservationToWire(r: Reservation): ReservationWire {
  return {
    ...r,
    estimate: amountsToWire(r.estimate),
    holds: r.holds.map((h) => ({ key: h.key, amounts: amountsToWire(h.amounts) })),
  };
}

/** Wire → reservation. */
export function reservationFromWire(r: ReservationWire): Reservation {
  return {
    ...r,
    estimate: amountsFromWire(r.estimate),
    holds: r.holds.map((h) => ({ key: h.key, amounts: amountsFromWire(h.amounts) })),
  };
}

/** A denial on the wire (its amounts with money as USD strings). */
export function denialToWire(d: Denial): DenialWire {
  return {
    ...d,
    limit: nullable(limitAmountsToWire)(d.limit),
    current: nullable(amountsToWire)(d.current),
    requested: amountsToWire(d.requested),
    remaining: nullable(limitAmountsToWire)(d.remaining),
  };
}

function denialFromWire(d: DenialWire): Denial {
  return {
    ...d,
    limit: nullable(limitAmountsFromWire)(d.limit),
    current: nullable(amountsFromWire)(d.current),
    requested: amountsFromWire(d.requested),
    remaining: nullable(limitAmountsFromWire)(d.remaining),
  };
}

/** Reserve result → wire. */
export function reserveResultToWire(r: ReserveResult): ReserveResultWire {
  if (r.status === "denied") return { ...r, denial: denialToWire(r.denial) };
  return { ...r, estimate: amountsToWire(r.estimate) };
}

/** Wire → reserve result. */
export function reserveResultFromWire(r: ReserveResultWire): ReserveResult {
  if (r.status === "denied") return { ...r, denial: denialFromWire(r.denial) };
  return { ...r, estimate: amountsFromWire(r.estimate) };
}

/** Commit result → wire. */
export function commitResultToWire(r: CommitResult): CommitResultWire {
  return { ...r, event: usageEventToWire(r.event) };
}

/** Wire → commit result. */
export function commitResultFromWire(r: CommitResultWire): CommitResult {
  return { ...r, event: usageEventFromWire(r.event) };
}

/** Limit status → wire. */
export function limitStatusToWire(s: LimitStatus): LimitStatusWire {
  return {
    ...s,
    limit: limitAmountsToWire(s.limit),
    used: amountsToWire(s.used),
    reserved: amountsToWire(s.reserved),
    remaining: limitAmountsToWire(s.remaining),
  };
}

/** Wire → limit status. */
export function limitStatusFromWire(s: LimitStatusWire): LimitStatus {
  return {
    ...s,
    limit: limitAmountsFromWire(s.limit),
    used: amountsFromWire(s.used),
    reserved: amountsFromWire(s.reserved),
    remaining: limitAmountsFromWire(s.remaining),
  };
}

/** Report row → wire. */
export function reportRowToWire(r: ReportRow): ReportRowWire {
  const { costNanoUsd, ...rest } = r;
  return { ...rest, costUsd: formatUsd(costNanoUsd) };
}

/** Wire → report row. */
export function reportRowFromWire(r: ReportRowWire): ReportRow {
  const { costUsd, ...rest } = r;
  return { ...rest, costNanoUsd: usdToNano(costUsd) };
}

/** Priced → wire. */
export function pricedToWire(p: Priced): PricedWire {
  if (!p.ok) return p;
  const { costNanoUsd, ...rest } = p;
  return { ...rest, costUsd: formatUsd(costNanoUsd) };
}

/** Wire → priced. */
export function pricedFromWire(p: PricedWire): Priced {
  if (!p.ok) return p;
  const { costUsd, ...rest } = p;
  return { ...rest, costNanoUsd: usdToNano(costUsd) };
}

/**
 * A reconcile's outcome on the wire: events read, each drifted counter's stored vs ledger amounts,
 * and how many counters were not checked (windows older than the retention horizon).
 */
export function reconcileToWire(
  r: {
    events: number;
    drift: { key: string; stored: Amounts; ledger: Amounts }[];
    skipped: number;
    slices?: SliceStatus[];
  },
  repaired: boolean,
) {
  return {
    events: r.events,
    repaired,
    skipped: r.skipped,
    drift: r.drift.map((x) => ({
      key: x.key,
      stored: amountsToWire(x.stored),
      ledger: amountsToWire(x.ledger),
    })),
    /** Counters with slices out (ADR 0010): counted in the totals above, not yet settled into the shared row. */
    slices: (r.slices ?? []).map((s) => ({
      key: s.counter.key,
      budgetId: s.counter.budgetId,
      limitId: s.counter.limitId,
      slices: s.slices,
      granted: amountsToWire(s.granted),
      held: amountsToWire(s.held),
      unsettled: amountsToWire(s.unsettled),
    })),
  };
}

/** {@link reconcileToWire}'s shape. */
export type ReconcileWire = ReturnType<typeof reconcileToWire>;

/** Most operations one `POST /v1/batch` carries (the server refuses more); the client's `batchOperations` splits longer lists. */
export const MAX_BATCH_OPERATIONS = 1000;
