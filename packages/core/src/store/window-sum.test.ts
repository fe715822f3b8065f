import { describe, expect, it } from "vitest";
import type { CounterHold, CounterRef, CounterState, Reservation } from "../ports/store.js";
import { zeroAmounts } from "./amounts.js";
import type { BatchOp } from "./atomic-ops.js";
import { applyBatch, windowRefreshKeys } from "./atomic-plan.js";

const ref = (key: string, windowStart: number): CounterRef => ({
  key,
  budgetId: "b",
  limitId: "l",
  partition: "",
  windowStart,
  windowEnd: null,
});
const bucket = (start: number, tokens: number): CounterState => ({
  ...ref(`b|l||${start}`, start),
  used: { ...zeroAmounts(), tokens },
  reserved: zeroAmounts(),
});
const SUM = ref("b|l||sum:3m@0", Number.MIN_SAFE_INTEGER);
const amounts = { tokens: 10, costNanoUsd: 0n, requests: 0 };
/** A reserve on the sum whose window is buckets `starts` (one minute each), capped at `cap` tokens. */
function reserveOp(id: string, starts: number[], cap: number): BatchOp {
  const hold: CounterHold = {
    counter: SUM,
    amounts,
    cap: { sumKeys: [SUM.key], tokens: cap },
    window: { since: starts[0]!, newest: starts.at(-1)!, bucketKeys: starts.map((s) => `b|l||${s}`) },
  };
  const reservation: Reservation = {
    id,
    idempotencyKey: null,
    status: "active",
    createdAt: 0,
    expiresAt: 1,
    dimensions: {},
    estimate: amounts,
    priceVersionId: null,
    holds: [{ key: SUM.key, amounts }],
  };
  return { kind: "reserve", reservation, holds: [hold] };
}

/** Plans `ops` the way a SQL store does: the named counters first, then the buckets to refresh from. */
function planAsSql(db: Map<string, CounterState>, ops: BatchOp[]) {
  const counters = new Map([...db].filter(([k]) => k === SUM.key));
  for (const k of windowRefreshKeys(ops, counters)) if (db.has(k)) counters.set(k, db.get(k)!);
  return applyBatch(ops, {
    reservationsById: new Map(),
    reservationsByKey: new Map(),
    eventsByKey: new Map(),
    counters,
  });
}

describe("window sums in the atomic planner", () => {
  it("recomputes a new or stale sum from its buckets, keeping its holds; reads nothing when current", () => {
    const db = new Map([0, 60_000, 120_000].map((s, i) => [`b|l||${s}`, bucket(s, [50, 20, 5][i]!)]));
    const first = planAsSql(db, [reserveOp("r1", [0, 60_000, 120_000], 100)]);
    expect(first.outcomes[0]).toMatchObject({ ok: true });
    const sum = first.writes.counters.find((c) => c.key === SUM.key)!;
    expect([sum.used.tokens, sum.reserved.tokens, sum.windowStart]).toEqual([75, 10, 0]);
    db.set(SUM.key, sum);
    expect(
      windowRefreshKeys([reserveOp("r2", [0, 60_000, 120_000], 100)], new Map([[SUM.key, sum]])),
    ).toEqual([]);
    // The first bucket leaves: 25 used + 10 held, so 10 more fit under 45.
    const later = planAsSql(db, [reserveOp("r3", [60_000, 120_000, 180_000], 45)]);
    expect(later.outcomes[0]).toMatchObject({ ok: true });
    const after = later.writes.counters.find((c) => c.key === SUM.key)!;
    expect([after.used.tokens, after.reserved.tokens, after.windowStart]).toEqual([25, 20, 60_000]);
  });

  it("reads every window of a batch that straddles a bucket's start", () => {
    const db = new Map([0, 60_000].map((s, i) => [`b|l||${s}`, bucket(s, [50, 20][i]!)]));
    // The first op's window still has the 50: with it, 10 more do not fit under 75.
    const { outcomes } = planAsSql(db, [
      reserveOp("r1", [0, 60_000], 75),
      reserveOp("r2", [60_000, 120_000], 75),
    ]);
    expect(outcomes.map((o) => o.ok && (o.value as { ok: boolean }).ok)).toEqual([false, true]);
  });
});
