import { randomBytes } from "node:crypto";
import type { Amounts, Reservation, UsageEvent } from "@budget/core";
import {
  addAmounts,
  type CounterHold,
  type CounterIncrement,
  type CounterState,
  type StoreCommitResult,
  type StoreReserveResult,
  zeroAmounts,
} from "@budget/core/store-kit";
import type { Pool } from "pg";
import { SLICE_MARK, sliceKeyOf } from "../shared/slice-rows.js";

import { takeSlice } from "./postgres-slice-take.js";

/** A reservation submitted to the group commit (the store's own `reserve`). */
type Submit = (reservation: Reservation, holds: CounterHold[]) => Promise<StoreReserveResult>;

interface Slice {
  key: string;
  capSig: string;
  grant: Amounts;
  expiresAt: number;
  /** The shared row's used as of the last take: with this slice's used, the counter as seen here. */
  sharedUsed: Amounts;
  /** Admitted since the last take, and when that was: the instance's rate on this counter. */
  admitted: Amounts;
  takenAt: number;
}

const capSigOf = (cap: NonNullable<CounterHold["cap"]>) =>
  `${cap.tokens}|${cap.costNanoUsd}|${cap.requests}|${cap.sumKeys.join(",")}`;

const scale = (a: Amounts, n: number): Amounts => ({
  tokens: a.tokens * n,
  costNanoUsd: a.costNanoUsd * BigInt(n),
  requests: a.requests * n,
});
const max = (a: Amounts, b: Amounts): Amounts => ({
  tokens: Math.max(a.tokens, b.tokens),
  // biome-ignore lint/complexity/useMathMinMax: bigint (Math.max takes numbers only)
  costNanoUsd: a.costNanoUsd > b.costNanoUsd ? a.costNanoUsd : b.costNanoUsd,
  requests: Math.max(a.requests, b.requests),
});

/** Holds a take asks to cover at least (so one take serves a burst, not one call). */
const MIN_HOLDS_PER_TAKE = 8;
/** Tries of one reservation on slices before it goes direct (having given its slices back). */
const MAX_ATTEMPTS = 8;
/** After a take found no room, the counter goes direct for this long before trying again. */
const NO_ROOM_MS = 50;

/**
 * One instance's slices (ADR 0010): routes capped holds to the instance's slice rows (taking or
 * renewing slices as needed), sends the commits of reservations it admitted there to the same
 * rows, and returns every slice on close. A hold no slice can cover goes the direct path.
 */
export function createSlicer(pool: Pool, options: { ttlMs: number; share: number }, now = Date.now) {
  const owner = `i${randomBytes(6).toString("hex")}`;
  const sharePpm = Math.round(options.share * 1_000_000);
  const slices = new Map<string, Slice>();
  const taking = new Map<string, Promise<Slice | null>>();
  const noRoomUntil = new Map<string, number>();
  /** Every counter this instance has a slice row of, with a hold naming it: settled on close. */
  const touched = new Map<string, CounterHold>();
  /** Reservation id → shared key → slice key, for the reservations admitted here on slices. */
  const admittedOn = new Map<string, Map<string, string>>();

  const live = (s: Slice, at: number) => at < s.expiresAt - options.ttlMs / 4;
  /** What the instance admitted on the slice's counter per TTL, at the rate since its last take. */
  const forTtl = (s: Slice | undefined, at: number): Amounts => {
    if (!s) return zeroAmounts();
    const factor = Math.max(1, Math.ceil(options.ttlMs / Math.max(1, at - s.takenAt)));
    return scale(s.admitted, factor);
  };

  async function take(hold: CounterHold, returning = false): Promise<Slice | null> {
    const parent = hold.counter.key;
    touched.set(parent, hold);
    const prev = slices.get(parent);
    const at = now();
    const want = returning ? zeroAmounts() : max(scale(hold.amounts, MIN_HOLDS_PER_TAKE), forTtl(prev, at));
    const taken = await takeSlice(pool, {
      hold,
      sliceKey: sliceKeyOf(parent, owner),
      owner,
      want,
      sharePpm,
      ttlMs: options.ttlMs,
      now: at,
    });
    if (!taken.added) {
      slices.delete(parent);
      if (!returning) noRoomUntil.set(parent, now() + NO_ROOM_MS);
      return null;
    }
    const slice: Slice = {
      key: sliceKeyOf(parent, owner),
      capSig: capSigOf(hold.cap!),
      grant: taken.grant,
      expiresAt: taken.expiresAt,
      sharedUsed: taken.sharedUsed,
      admitted: zeroAmounts(),
      takenAt: at,
    };
    slices.set(parent, slice);
    return slice;
  }

  /** The live slice for `hold`, taken or renewed when needed (one take per counter at a time). */
  async function sliceFor(hold: CounterHold, renew: boolean): Promise<Slice | null> {
    const parent = hold.counter.key;
    const at = now();
    const s = slices.get(parent);
    const start = () => {
      let pending = taking.get(parent);
      if (!pending) {
        pending = take(hold).finally(() => taking.delete(parent));
        taking.set(parent, pending);
      }
      return pending;
    };
    if (!renew && s && live(s, at) && s.capSig === capSigOf(hold.cap!)) {
      // Past half its TTL: renewed in the background while it still admits, so no call waits.
      if (at > s.takenAt + options.ttlMs / 2 && !taking.has(parent)) void start().catch(() => {});
      return s;
    }
    if ((noRoomUntil.get(parent) ?? 0) > at) return null;
    return start();
  }

  /** `holds` with each capped one on this instance's slice row where a slice covers it. */
  async function route(holds: CounterHold[], spent: Set<string>) {
    const routed = [...holds];
    const sliced = new Set<number>();
    for (const [i, h] of holds.entries()) {
      // A rolling window's running sum is recomputed from its buckets, which slices would not see: direct.
      if (!h.cap || h.window || h.counter.key.includes(SLICE_MARK)) continue;
      const s = await sliceFor(h, spent.has(h.counter.key));
      if (!s) continue;
      routed[i] = { ...h, counter: { ...h.counter, key: s.key }, cap: { ...h.cap, sumKeys: [s.key] } };
      sliced.add(i);
    }
    return { routed, sliced };
  }

  /** `reservation` recording the rows its holds are placed on (given back there on commit or release). */
  function heldOn(reservation: Reservation, holds: CounterHold[], routed: CounterHold[]): Reservation {
    const to = new Map(holds.map((h, i) => [h.counter.key, routed[i]!.counter.key]));
    return { ...reservation, holds: reservation.holds.map((h) => ({ ...h, key: to.get(h.key) ?? h.key })) };
  }

  function noteAdmitted(id: string, holds: CounterHold[], routed: CounterHold[], sliced: Set<number>) {
    const on = new Map<string, string>();
    for (const i of sliced) {
      const h = holds[i]!;
      on.set(h.counter.key, routed[i]!.counter.key);
      const s = slices.get(h.counter.key);
      if (s) s.admitted = addAmounts(s.admitted, h.amounts);
    }
    admittedOn.set(id, on);
  }

  /** Settles this instance's slice of `parent` keeping only what its holds need (one at a time). */
  async function giveBack(parent: string): Promise<void> {
    await taking.get(parent);
    const hold = touched.get(parent);
    if (!hold) return;
    const pending = take({ ...hold, amounts: zeroAmounts() }, true).finally(() => taking.delete(parent));
    taking.set(parent, pending);
    await pending;
  }

  return {
    owner,
    /**
     * Reserves on slices where they cover the holds, renewing a spent one; a hold denied on the
     * direct path while this instance holds a slice of it is asked again once that slice is given
     * back, so an instance never denies for budget it holds itself.
     */
    async reserve(
      reservation: Reservation,
      holds: CounterHold[],
      submit: Submit,
    ): Promise<StoreReserveResult> {
      const spent = new Set<string>();
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const { routed, sliced } = await route(holds, spent);
        const result = await submit(
          sliced.size > 0 ? heldOn(reservation, holds, routed) : reservation,
          routed,
        );
        if (result.ok) {
          if (!result.duplicate && sliced.size > 0) noteAdmitted(reservation.id, holds, routed, sliced);
          return result;
        }
        const failed = holds[result.failedHold]!;
        if (sliced.has(result.failedHold)) spent.add(failed.counter.key);
        else if (slices.has(failed.counter.key) || taking.has(failed.counter.key))
          await giveBack(failed.counter.key);
        else return result;
      }
      for (const h of holds) if (h.cap) await giveBack(h.counter.key);
      return submit(reservation, holds);
    },
    /** The increments of a commit, each on the slice row its reservation was admitted on here. */
    increments(event: UsageEvent, increments: CounterIncrement[]): CounterIncrement[] {
      const on = event.reservationId !== null ? admittedOn.get(event.reservationId) : undefined;
      if (!on) return increments;
      admittedOn.delete(event.reservationId!);
      return increments.map((inc) => {
        const key = on.get(inc.counter.key);
        return key ? { counter: { ...inc.counter, key }, amounts: inc.amounts } : inc;
      });
    },
    /** A commit's counters as the instance sees them: a slice row answered as its shared counter. */
    view(result: StoreCommitResult): StoreCommitResult {
      if (!result.counters.some((c) => c.key.includes(SLICE_MARK))) return result;
      const counters = result.counters.map((c): CounterState => {
        const at = c.key.indexOf(SLICE_MARK);
        if (at < 0) return c;
        const parent = c.key.slice(0, at);
        const shared = slices.get(parent)?.sharedUsed ?? zeroAmounts();
        return { ...c, key: parent, used: addAmounts(shared, c.used) };
      });
      return { ...result, counters };
    },
    forget(reservationId: string): void {
      admittedOn.delete(reservationId);
    },
    /** Returns every slice (settles it, keeping only what its active holds need). */
    async returnAll(): Promise<void> {
      await Promise.all([...touched.keys()].map(giveBack));
    },
  };
}
