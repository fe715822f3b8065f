import { assertCounterFits } from "../limits/amount-bounds.js";
import type {
  Amounts,
  CounterHold,
  CounterRef,
  CounterState,
  Reservation,
  ReservationStatus,
  StoreCommitResult,
  StoreReserveResult,
  UsageEvent,
  WindowSum,
} from "../ports/store.js";
import { addAmounts, zeroAmounts } from "./amounts.js";
import { type BatchOp, checkHolds, counterDeltas, holdKeys, notActive, type Settled } from "./atomic-ops.js";

/**
 * The one atomic planner: what a batch of ops must read, and the ops applied in arrival order to
 * that state in memory. A SQL store reads (and on PostgreSQL locks) the state, calls
 * {@link applyBatch}, then writes {@link BatchWrites} and commits — a handful of statements per
 * batch instead of a dozen per op; the in-memory store plans each op alone against its own maps. Every op decides everything before it changes anything, so an
 * op that throws (e.g. `reservation_not_active`) leaves no trace, exactly as if it ran in its own
 * savepoint that was rolled back; later ops see the state as if it never ran.
 */

/** The rows a batch reads before its ops run (missing rows are simply absent). */
export interface BatchState {
  /** Reservations settled by the batch's commits and releases, by id. */
  reservationsById: Map<string, Reservation>;
  /** Existing reservations with the idempotency keys of the batch's reserves. */
  reservationsByKey: Map<string, Reservation>;
  /** Existing events with the idempotency keys of the batch's commits. */
  eventsByKey: Map<string, UsageEvent>;
  /** Every existing counter the batch reads or writes. */
  counters: Map<string, CounterState>;
  /**
   * The grants of the slice rows among `counters` (ADR 0010), read under their locks: a capped hold
   * on a slice row fits only within its grant, whatever cap the hold carries.
   */
  grants?: Map<string, Amounts>;
}

/** What a batch changed, to write before COMMIT. */
export interface BatchWrites {
  /** New reservations, with their status at the end of the batch. */
  reservations: Reservation[];
  /** Status changes of reservations that existed before the batch. */
  statuses: { id: string; status: ReservationStatus }[];
  events: UsageEvent[];
  /** Final states of the counters changed (absolute values; new counters included). */
  counters: CounterState[];
}

/** The keys to read for the batch's reservations and events. */
export function batchLookups(ops: readonly BatchOp[]) {
  const reservationIds = new Set<string>();
  const reservationKeys = new Set<string>();
  const eventKeys = new Set<string>();
  for (const op of ops) {
    if (op.kind === "reserve") {
      if (op.reservation.idempotencyKey !== null) reservationKeys.add(op.reservation.idempotencyKey);
    } else if (op.kind === "commit") {
      eventKeys.add(op.event.idempotencyKey);
      if (op.event.reservationId !== null) reservationIds.add(op.event.reservationId);
    } else reservationIds.add(op.reservationId);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return {
    reservationIds: sorted(reservationIds),
    reservationKeys: sorted(reservationKeys),
    eventKeys: sorted(eventKeys),
  };
}

/**
 * Every counter the batch may touch once `reservationsById` is known: `refs` (counters that may be
 * created) and `keys`, all keys sorted — the one lock order.
 */
export function batchCounters(ops: readonly BatchOp[], reservationsById: Map<string, Reservation>) {
  const refs = new Map<string, CounterRef>();
  const keys = new Set<string>();
  for (const op of ops) {
    if (op.kind === "reserve") {
      for (const h of op.holds) refs.set(h.counter.key, h.counter);
      for (const k of holdKeys(op.holds)) keys.add(k);
    } else if (op.kind === "commit") {
      for (const inc of op.increments) refs.set(inc.counter.key, inc.counter);
    }
    const id =
      op.kind === "commit" ? op.event.reservationId : op.kind === "release" ? op.reservationId : null;
    for (const h of (id !== null ? reservationsById.get(id)?.holds : undefined) ?? []) keys.add(h.key);
  }
  for (const k of refs.keys()) keys.add(k);
  return { refs: [...refs.values()].sort((a, b) => (a.key < b.key ? -1 : 1)), keys: [...keys].sort() };
}

/**
 * The bucket counters a batch must also read, once `counters` (the counters of
 * {@link batchCounters}) are known: those of each window sum that is missing or behind the
 * window, which the batch brings up to date (rare: once per bucket, or on a sum's first use).
 * Only read, never written by that: SQL stores read them after the locked rows, without locks.
 */
export function windowRefreshKeys(ops: readonly BatchOp[], counters: Map<string, CounterState>): string[] {
  const keys = new Set<string>();
  // Every op's window, not only the latest: a batch may straddle a bucket's start.
  const note = (key: string, w: WindowSum | undefined) => {
    if (!w || (counters.get(key)?.windowStart ?? Number.NEGATIVE_INFINITY) >= w.since) return;
    for (const k of w.bucketKeys) if (!counters.has(k)) keys.add(k);
  };
  for (const op of ops)
    if (op.kind === "reserve") for (const h of op.holds) note(h.counter.key, h.window);
    else if (op.kind === "commit") for (const inc of op.increments) note(inc.counter.key, inc.window);
  return [...keys].sort();
}

const copyCounter = (c: CounterState): CounterState => ({
  ...c,
  used: { ...c.used },
  reserved: { ...c.reserved },
});

// Cheap copies of the rows ops hand back (structuredClone costs microseconds per op on this path).
/** A copy of `r` that shares nothing mutable with it. */
export const copyReservation = (r: Reservation): Reservation => ({
  ...r,
  dimensions: { ...r.dimensions },
  estimate: { ...r.estimate },
  holds: r.holds.map((h) => ({ key: h.key, amounts: { ...h.amounts } })),
});
/** A copy of `e` that shares nothing mutable with it. */
export const copyEvent = (e: UsageEvent): UsageEvent => ({
  ...e,
  dimensions: { ...e.dimensions },
  usage: { ...e.usage },
});

/** A capped hold on a slice row, capped by the slice's grant instead (each amount its cap limits). */
function withGrant(h: CounterHold, grants: Map<string, Amounts>): CounterHold {
  const g = grants.get(h.counter.key);
  if (!g || !h.cap) return h;
  const cap: NonNullable<CounterHold["cap"]> = { sumKeys: [h.counter.key] };
  if (h.cap.tokens !== undefined) cap.tokens = g.tokens;
  if (h.cap.costNanoUsd !== undefined) cap.costNanoUsd = g.costNanoUsd;
  if (h.cap.requests !== undefined) cap.requests = g.requests;
  return { ...h, cap };
}

const loadOf = (c: CounterState | undefined): Amounts => (c ? addAmounts(c.used, c.reserved) : zeroAmounts());

/** Runs the ops in order against `state` (which it mutates); returns each op's outcome and the writes. */
export function applyBatch(
  ops: readonly BatchOp[],
  state: BatchState,
): { outcomes: Settled[]; writes: BatchWrites } {
  const { reservationsById: byId, reservationsByKey: byKey, eventsByKey: events, counters } = state;
  const created = new Map<string, Reservation>();
  const statuses = new Map<string, ReservationStatus>();
  const newEvents: UsageEvent[] = [];
  const dirty = new Set<string>();

  const counterFor = (key: string, ref: CounterRef | null): CounterState | undefined => {
    let c = counters.get(key);
    if (!c && ref) {
      c = { ...ref, used: zeroAmounts(), reserved: zeroAmounts() };
      counters.set(key, c);
    }
    return c;
  };
  /** Brings a window sum up to date: its `used` recomputed from its buckets when it is behind. */
  const refresh = (ref: CounterRef, w: WindowSum | undefined) => {
    if (!w) return;
    const c = counterFor(ref.key, ref)!;
    if (c.windowStart >= w.since) return;
    let used = zeroAmounts();
    for (const k of w.bucketKeys) {
      const b = counters.get(k);
      if (b) used = addAmounts(used, b.used);
    }
    c.used = used;
    c.windowStart = w.since;
    dirty.add(c.key);
  };
  const settle = (r: Reservation, status: ReservationStatus) => {
    r.status = status;
    if (!created.has(r.id)) statuses.set(r.id, status);
  };

  function reserve(op: Extract<BatchOp, { kind: "reserve" }>): StoreReserveResult {
    const key = op.reservation.idempotencyKey;
    const existing = key !== null ? byKey.get(key) : undefined;
    if (existing) return { ok: true, reservation: copyReservation(existing), duplicate: true };
    for (const h of op.holds) refresh(h.counter, h.window);
    const load = new Map<string, Amounts>();
    for (const k of holdKeys(op.holds)) load.set(k, loadOf(counters.get(k)));
    const decision = checkHolds(
      state.grants?.size ? op.holds.map((h) => withGrant(h, state.grants!)) : op.holds,
      load,
    );
    if (!decision.ok) return decision;
    // `load` now holds each counter's used + reserved with this op's holds.
    for (const h of op.holds) assertCounterFits(h.counter.key, load.get(h.counter.key)!);
    for (const h of op.holds) {
      const c = counterFor(h.counter.key, h.counter)!;
      c.reserved = addAmounts(c.reserved, h.amounts);
      dirty.add(c.key);
    }
    const stored = copyReservation(op.reservation);
    created.set(stored.id, stored);
    byId.set(stored.id, stored);
    if (key !== null) byKey.set(key, stored);
    return { ok: true, reservation: { ...stored }, duplicate: false };
  }

  function commit(op: Extract<BatchOp, { kind: "commit" }>): StoreCommitResult {
    const { event, increments } = op;
    const seen = events.get(event.idempotencyKey);
    if (seen) return { status: "duplicate", event: copyEvent(seen), counters: [] };
    let settled: Reservation | null = null;
    if (event.reservationId !== null) {
      const r = byId.get(event.reservationId);
      if (r?.status !== "active") throw notActive(event.reservationId, r ? copyReservation(r) : null);
      settled = r;
    }
    for (const inc of increments) refresh(inc.counter, inc.window);
    // Usage from before a window sum's oldest bucket (a backdated record) is in a bucket it no longer sums.
    const counted = increments.filter(
      (inc) => !inc.window || inc.window.newest >= counters.get(inc.counter.key)!.windowStart,
    );
    const deltas = [...counterDeltas(settled, counted)];
    for (const d of deltas) {
      const load = loadOf(counters.get(d.key));
      assertCounterFits(d.key, addAmounts(load, addAmounts(d.used, d.reserved)));
    }
    // Decided: from here on the op only changes state.
    if (settled) settle(settled, "committed");
    for (const d of deltas) {
      const c = counterFor(d.key, d.ref);
      if (!c) continue; // a hold on a counter that no longer exists: nothing to give back
      c.used = addAmounts(c.used, d.used);
      c.reserved = addAmounts(c.reserved, d.reserved);
      dirty.add(c.key);
    }
    const stored = copyEvent(event);
    events.set(event.idempotencyKey, stored);
    newEvents.push(stored);
    // `stored` is written before the batch resolves; a later duplicate in the batch gets a copy.
    return {
      status: "committed",
      event: stored,
      counters: increments.map((inc) => copyCounter(counters.get(inc.counter.key)!)),
    };
  }

  function release(op: Extract<BatchOp, { kind: "release" }>): Reservation | null {
    const r = byId.get(op.reservationId);
    if (!r) return null;
    if (r.status !== "active") return copyReservation(r);
    for (const d of counterDeltas(r, [])) {
      const c = counters.get(d.key);
      if (!c) continue;
      c.reserved = addAmounts(c.reserved, d.reserved);
      dirty.add(c.key);
    }
    settle(r, op.status);
    return copyReservation(r);
  }

  const outcomes = ops.map((op): Settled => {
    try {
      const value = op.kind === "reserve" ? reserve(op) : op.kind === "commit" ? commit(op) : release(op);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error };
    }
  });
  return {
    outcomes,
    writes: {
      reservations: [...created.values()],
      statuses: [...statuses].map(([id, status]) => ({ id, status })),
      events: newEvents,
      counters: [...dirty].sort().map((k) => counters.get(k)!),
    },
  };
}
