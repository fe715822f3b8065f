import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BudgetInput } from "../budget/budget.js";
import { type BudgetEngine, createBudgetEngine } from "../engine/engine.js";
import { isBudgetError } from "../errors/budget-error.js";
import { createManualClock, type ManualClock } from "../ports/clock.js";
import { createSequentialIds } from "../ports/ids.js";
import type { Alert, CounterHold, Reservation, Store } from "../ports/store.js";
import { createTestCatalog, TEST_PRICES } from "./fixtures.js";

/** How the contract suite gets a fresh, empty store for each test, and disposes of it. */
export interface StoreContractOptions {
  create(): Promise<Store>;
  destroy?(store: Store): Promise<void>;
  /** Concurrent reservations in the overspend case (default 200). */
  concurrency?: number;
}

const tokensBudget = (id: string, tokens: number, extra: Partial<BudgetInput> = {}): BudgetInput => ({
  id,
  limits: [{ id: "daily", window: { type: "day" }, tokens, enforcement: "hard_limit" }],
  ...extra,
});

/**
 * The contract every `Store` adapter passes: atomic all-or-nothing holds, no overspend under
 * concurrency, idempotent commits, windows (rollover, DST, month anchors), alerts once, prices,
 * pending changes and runs.
 */
export function describeStoreContract(name: string, options: StoreContractOptions): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    let clock: ManualClock;
    let engine: BudgetEngine;

    beforeEach(async () => {
      store = await options.create();
      clock = createManualClock("2026-03-07T12:00:00Z");
      engine = createBudgetEngine({
        store,
        catalog: createTestCatalog(),
        clock,
        ids: createSequentialIds(),
        budgetCacheMs: 0,
      });
    });
    afterEach(async () => {
      if (options.destroy) await options.destroy(store);
      else await store.close();
    });

    const dims = { provider: "test", model: "test-model" };
    const usedTokens = async (budgetId: string) =>
      (await engine.status({ budgetId })).reduce((s, x) => s + x.used.tokens, 0);

    it("stores, lists and deletes budgets", async () => {
      await engine.upsertBudget(tokensBudget("b", 100, { name: "B", timezone: "Europe/Paris" }));
      expect((await store.getBudget("b"))?.timezone).toBe("Europe/Paris");
      expect((await store.listBudgets()).map((b) => b.id)).toEqual(["b"]);
      expect(await store.deleteBudget("b")).toBe(true);
      expect(await store.getBudget("b")).toBeNull();
    });

    it("numbers budget changes in order and reads back only those after a point", async () => {
      const start = await store.budgetSeq();
      expect(await store.budgetChangesSince(start)).toEqual({ seq: start, changed: [], deleted: [] });
      await engine.upsertBudget(tokensBudget("a", 100));
      await engine.upsertBudget(tokensBudget("b", 100));
      const afterPuts = await store.budgetSeq();
      expect(afterPuts).toBeGreaterThan(start);
      const all = await store.budgetChangesSince(start);
      expect(all.seq).toBe(afterPuts);
      expect(all.changed.map((b) => b.id).sort()).toEqual(["a", "b"]);
      await engine.upsertBudget(tokensBudget("a", 50));
      expect(await store.deleteBudget("b")).toBe(true);
      expect(await store.deleteBudget("never-was")).toBe(false);
      const later = await store.budgetChangesSince(afterPuts);
      expect(later.seq).toBe(await store.budgetSeq());
      expect(later.seq).toBeGreaterThan(afterPuts);
      expect(later.changed.map((b) => [b.id, b.limits[0]?.tokens])).toEqual([["a", 50]]);
      expect(later.deleted).toEqual(["b"]);
      // A put returns the number it took: the sequence's next.
      const taken = await store.putBudget({ ...(await store.getBudget("a"))!, name: "A" });
      expect([taken, await store.budgetSeq()]).toEqual([later.seq + 1, later.seq + 1]);
      later.seq = taken;
      // Put again after its delete: a budget again, no longer a tombstone.
      await engine.upsertBudget(tokensBudget("b", 7));
      const again = await store.budgetChangesSince(later.seq);
      expect(again.changed.map((b) => b.id)).toEqual(["b"]);
      expect(again.deleted).toEqual([]);
      expect((await store.budgetChangesSince(start)).deleted).toEqual([]);
      expect(await store.budgetChangesSince(again.seq)).toEqual({ seq: again.seq, changed: [], deleted: [] });
    });

    it("lists only budgets not closed at an instant when asked, keeping the active period", async () => {
      const now = clock.now();
      await engine.upsertBudget(tokensBudget("open", 100));
      await engine.upsertBudget(
        tokensBudget("closing", 100, { activeFrom: now - 10, activeUntil: now + 1000 }),
      );
      await engine.upsertBudget(tokensBudget("closed", 100, { activeUntil: now }));
      expect((await store.getBudget("closing"))?.activeFrom).toBe(now - 10);
      expect((await store.listBudgets()).map((b) => b.id)).toEqual(["closed", "closing", "open"]);
      expect((await store.listBudgets({ openAt: now })).map((b) => b.id)).toEqual(["closing", "open"]);
      expect((await store.listBudgets({ openAt: now + 1000 })).map((b) => b.id)).toEqual(["open"]);
      await engine.reopenBudget("closed");
      expect((await store.listBudgets({ openAt: now + 1000 })).map((b) => b.id)).toEqual(["closed", "open"]);
    });

    it("reserve then commit moves used, gives back the hold and appends one event", async () => {
      await engine.upsertBudget(tokensBudget("b", 10_000));
      const r = await engine.reserve({
        dimensions: dims,
        estimate: { inputTokens: 1000, outputTokens: 500 },
      });
      expect(r.status).toBe("allowed");
      if (r.status !== "allowed") return;
      expect(r.estimate).toEqual({ tokens: 1500, costNanoUsd: 2_000_000n, requests: 1 });
      const [before] = await engine.status({ budgetId: "b" });
      expect(before?.reserved.tokens).toBe(1500);
      const c = await engine.commit({
        reservationId: r.reservationId,
        usage: { inputTokens: 1000, outputTokens: 200 },
      });
      expect(c.status).toBe("committed");
      expect(c.event.costNanoUsd).toBe(1_400_000n);
      expect(c.event.priceVersionId).toBe(TEST_PRICES[0]?.id);
      const [after] = await engine.status({ budgetId: "b" });
      expect(after?.used).toEqual({ tokens: 1200, costNanoUsd: 1_400_000n, requests: 1 });
      expect(after?.reserved).toEqual({ tokens: 0, costNanoUsd: 0n, requests: 0 });
      expect((await store.listEvents({})).events).toHaveLength(1);
      expect((await store.getReservation(r.reservationId))?.status).toBe("committed");
    });

    it("is all-or-nothing across budgets and names the one that blocked", async () => {
      await engine.upsertBudget(tokensBudget("roomy", 10_000));
      await engine.upsertBudget(tokensBudget("tight", 100, { scope: { model: "test-model" } }));
      const r = await engine.reserve({ dimensions: dims, estimate: { inputTokens: 150 } });
      expect(r.status).toBe("denied");
      if (r.status !== "denied") return;
      expect(r.denial.budgetId).toBe("tight");
      expect(r.denial.limitId).toBe("daily");
      expect(r.denial.remaining).toEqual({ tokens: 100 });
      expect(r.denial.resetsAt).toBe(new Date("2026-03-08T00:00:00Z").getTime());
      for (const s of await engine.status()) expect(s.reserved.tokens).toBe(0);
    });

    it("never overspends a hard limit under many interleaved reservations", async () => {
      const n = options.concurrency ?? 200;
      await engine.upsertBudget(tokensBudget("hot", 1000));
      const results = await Promise.all(
        Array.from({ length: n }, () => engine.reserve({ dimensions: dims, estimate: { inputTokens: 30 } })),
      );
      const allowed = results.filter((r) => r.status === "allowed");
      expect(allowed).toHaveLength(33);
      await Promise.all(
        allowed.map((r) =>
          r.status === "allowed"
            ? engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 30 } })
            : null,
        ),
      );
      expect(await usedTokens("hot")).toBe(990);
      const [s] = await engine.status({ budgetId: "hot" });
      expect(s?.reserved.tokens).toBe(0);
    });

    it("counts a retried commit once, and concurrent records with one key once", async () => {
      await engine.upsertBudget(tokensBudget("b", 10_000));
      const r = await engine.reserve({ dimensions: dims, estimate: { inputTokens: 100 } });
      if (r.status !== "allowed") throw new Error("expected allowed");
      const first = await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 80 } });
      const again = await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 80 } });
      expect(again.status).toBe("duplicate");
      expect(again.event.id).toBe(first.event.id);
      const records = await Promise.allSettled(
        Array.from({ length: 10 }, () =>
          engine.record({ dimensions: dims, usage: { inputTokens: 5 }, idempotencyKey: "k1" }),
        ),
      );
      expect(records.filter((x) => x.status === "fulfilled" && x.value.status === "committed")).toHaveLength(
        1,
      );
      expect(await usedTokens("b")).toBe(85);
      expect((await store.listEvents({})).events).toHaveLength(2);
    });

    it("release gives back exactly the hold, once; a released reservation cannot be committed", async () => {
      await engine.upsertBudget(tokensBudget("b", 1000));
      const r = await engine.reserve({ dimensions: dims, estimate: { inputTokens: 700 } });
      if (r.status !== "allowed") throw new Error("expected allowed");
      expect((await engine.reserve({ dimensions: dims, estimate: { inputTokens: 700 } })).status).toBe(
        "denied",
      );
      await engine.release(r.reservationId);
      await engine.release(r.reservationId);
      const [s] = await engine.status({ budgetId: "b" });
      expect(s?.reserved).toEqual({ tokens: 0, costNanoUsd: 0n, requests: 0 });
      await expect(
        engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 1 } }),
      ).rejects.toSatisfy((e) => isBudgetError(e, "reservation_not_active"));
      expect((await engine.reserve({ dimensions: dims, estimate: { inputTokens: 700 } })).status).toBe(
        "allowed",
      );
    });

    it("expires stale reservations after their TTL", async () => {
      await engine.upsertBudget(tokensBudget("b", 1000));
      const r = await engine.reserve({ dimensions: dims, estimate: { inputTokens: 900 }, ttlMs: 5_000 });
      if (r.status !== "allowed") throw new Error("expected allowed");
      clock.advance(5_001);
      expect(await engine.sweepExpired()).toBe(1);
      expect((await store.getReservation(r.reservationId))?.status).toBe("expired");
      expect((await engine.status({ budgetId: "b" }))[0]?.reserved.tokens).toBe(0);
      await expect(
        engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 1 } }),
      ).rejects.toSatisfy((e) => isBudgetError(e, "reservation_not_active"));
    });

    it("never holds more reservations in flight than a concurrency limit; commit, release and expiry free slots", async () => {
      await engine.upsertBudget({
        id: "c",
        scope: { user: { each: true } },
        limits: [{ id: "slots", window: { type: "lifetime" }, concurrency: 3 }],
      });
      const as = (user: string, ttlMs = 60_000) =>
        engine.reserve({ dimensions: { ...dims, user }, estimate: { inputTokens: 10 }, ttlMs });
      // Many callers at once, each settling as soon as it is let in: never more than 3 in flight.
      let inFlight = 0;
      let peak = 0;
      let granted = 0;
      await Promise.all(
        Array.from({ length: options.concurrency ?? 200 }, async (_, i) => {
          const r = await as("u1");
          if (r.status !== "allowed") {
            expect(r.denial.limit).toEqual({ concurrency: 3 });
            return;
          }
          granted += 1;
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          const [s] = await engine.status({ budgetId: "c", partition: "user=u1" });
          expect(s?.inFlight).toBeLessThanOrEqual(3);
          inFlight -= 1;
          if (i % 2 === 0)
            await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 10 } });
          else await engine.release(r.reservationId);
        }),
      );
      expect(granted).toBeGreaterThanOrEqual(3);
      expect(peak).toBeLessThanOrEqual(3);
      const held = await Promise.all([as("u1"), as("u1"), as("u1", 5_000), as("u1")]);
      expect(held.map((r) => r.status)).toEqual(["allowed", "allowed", "allowed", "denied"]);
      const denied = held[3]!;
      if (denied.status !== "denied") throw new Error("expected denied");
      expect([denied.denial.remaining, denied.denial.retryAfterMs]).toEqual([{ concurrency: 0 }, null]);
      expect((await as("u2")).status).toBe("allowed"); // another partition has its own slots
      const [first, second] = held;
      if (first?.status !== "allowed" || second?.status !== "allowed") throw new Error("expected allowed");
      await engine.commit({ reservationId: first.reservationId, usage: { inputTokens: 10 } });
      expect((await as("u1")).status).toBe("allowed");
      expect((await as("u1")).status).toBe("denied");
      await engine.release(second.reservationId);
      expect((await as("u1")).status).toBe("allowed");
      clock.advance(5_001); // the third one expires
      expect(await engine.sweepExpired()).toBe(1);
      const [s] = await engine.status({ budgetId: "c", partition: "user=u1" });
      expect([s?.inFlight, s?.remaining.concurrency]).toEqual([2, 1]);
      expect((await as("u1")).status).toBe("allowed");
      expect((await engine.reconcile()).drift).toEqual([]);
    });

    it("lets 100 waiters through a concurrency cap of 4, in arrival order, never more than 4 in flight", async () => {
      await engine.upsertBudget({
        id: "w",
        limits: [{ id: "slots", window: { type: "lifetime" }, concurrency: 4 }],
      });
      const warm = await engine.reserve({ dimensions: dims }); // the lazy sweep of expired holds, out of the way
      if (warm.status === "allowed") await engine.release(warm.reservationId);
      const order: number[] = [];
      let peak = 0;
      await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          const r = await engine.reserve({ dimensions: dims, estimate: { inputTokens: 1 }, waitMs: 30_000 });
          if (r.status !== "allowed") throw new Error(`waiter ${i} was denied`);
          order.push(i);
          peak = Math.max(peak, (await engine.status({ budgetId: "w" }))[0]?.inFlight ?? 0);
          await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 1 } });
        }),
      );
      expect(order.join(",")).toBe(Array.from({ length: 100 }, (_, i) => i).join(","));
      expect(peak).toBeLessThanOrEqual(4);
      expect((await engine.status({ budgetId: "w" }))[0]?.inFlight).toBe(0);
    });

    it("returns the existing reservation for a repeated reserve idempotency key", async () => {
      await engine.upsertBudget(tokensBudget("b", 1000));
      const a = await engine.reserve({
        dimensions: dims,
        estimate: { inputTokens: 400 },
        idempotencyKey: "r1",
      });
      const b = await engine.reserve({
        dimensions: dims,
        estimate: { inputTokens: 400 },
        idempotencyKey: "r1",
      });
      if (a.status !== "allowed" || b.status !== "allowed") throw new Error("expected allowed");
      expect(b.reservationId).toBe(a.reservationId);
      expect(b.duplicate).toBe(true);
      expect((await engine.status({ budgetId: "b" }))[0]?.reserved.tokens).toBe(400);
    });

    it("rolls a daily window over at local midnight", async () => {
      await engine.upsertBudget(tokensBudget("b", 100));
      await engine.record({ dimensions: dims, usage: { inputTokens: 100 } });
      expect((await engine.reserve({ dimensions: dims, estimate: { inputTokens: 1 } })).status).toBe(
        "denied",
      );
      clock.set("2026-03-08T00:00:00Z");
      expect(await usedTokens("b")).toBe(0);
      expect((await engine.reserve({ dimensions: dims, estimate: { inputTokens: 1 } })).status).toBe(
        "allowed",
      );
    });

    it("keeps a daily limit in America/New_York on local days across both DST changes", async () => {
      await engine.upsertBudget(tokensBudget("ny", 100, { timezone: "America/New_York" }));
      for (const [start, inside, nextDay] of [
        ["2026-03-08T05:00:00Z", "2026-03-09T03:59:00Z", "2026-03-09T04:00:00Z"], // 23-hour day
        ["2026-11-01T04:00:00Z", "2026-11-02T04:59:00Z", "2026-11-02T05:00:00Z"], // 25-hour day
      ] as const) {
        clock.set(start);
        await engine.record({ dimensions: dims, usage: { inputTokens: 60 } });
        clock.set(inside);
        await engine.record({ dimensions: dims, usage: { inputTokens: 40 } });
        expect((await engine.reserve({ dimensions: dims, estimate: { inputTokens: 1 } })).status).toBe(
          "denied",
        );
        clock.set(nextDay);
        expect(await usedTokens("ny")).toBe(0);
      }
    });

    it("starts a month anchored on the 31st on the last day of February", async () => {
      // A budget counts events from its creation on: create it before the first one.
      clock.set("2026-02-27T23:00:00Z");
      await engine.upsertBudget({
        id: "m",
        limits: [{ id: "monthly", window: { type: "month", anchorDay: 31 }, tokens: 100 }],
      });
      await engine.record({ dimensions: dims, usage: { inputTokens: 70 } });
      clock.set("2026-02-28T00:00:00Z");
      expect(await usedTokens("m")).toBe(0);
      await engine.record({ dimensions: dims, usage: { inputTokens: 70 } });
      clock.set("2026-03-30T23:59:59Z");
      expect(await usedTokens("m")).toBe(70);
      clock.set("2026-03-31T00:00:00Z");
      expect(await usedTokens("m")).toBe(0);
    });

    it("keeps a separate counter per value of an `each` dimension", async () => {
      await engine.upsertBudget(tokensBudget("per-worker", 100, { scope: { worker: { each: true } } }));
      await engine.record({ dimensions: { ...dims, worker: "w1" }, usage: { inputTokens: 100 } });
      expect(
        (await engine.reserve({ dimensions: { ...dims, worker: "w1" }, estimate: { inputTokens: 1 } }))
          .status,
      ).toBe("denied");
      expect(
        (await engine.reserve({ dimensions: { ...dims, worker: "w2" }, estimate: { inputTokens: 1 } }))
          .status,
      ).toBe("allowed");
      expect((await engine.status({ budgetId: "per-worker" })).map((s) => s.partition)).toEqual([
        "worker=w1",
        "worker=w2",
      ]);
    });

    it("raises each threshold alert once per window", async () => {
      await engine.upsertBudget({
        id: "b",
        limits: [
          { id: "d", window: { type: "day" }, tokens: 100, enforcement: "warn", thresholds: [0.5, 0.8] },
        ],
      });
      const raised: Alert[] = [];
      for (const n of [30, 30, 10, 30])
        raised.push(...(await engine.record({ dimensions: dims, usage: { inputTokens: n } })).alerts);
      expect(raised.map((a) => a.data.threshold)).toEqual([0.5, 0.8]);
      expect((await store.listAlerts({})).alerts).toHaveLength(2);
      const dup: Alert = { ...raised[0]!, id: "other" };
      expect(await store.insertAlert(dup)).toBe(false);
      expect(await store.acknowledgeAlert(raised[0]!.id, clock.now())).toBe(true);
      expect((await store.listAlerts({ unacknowledgedOnly: true })).alerts).toHaveLength(1);
      // By budget: the alerts naming it, with or without the unacknowledged filter.
      expect((await store.listAlerts({ budgetId: "b" })).alerts.map((a) => a.id).sort()).toEqual(
        raised.map((a) => a.id).sort(),
      );
      expect((await store.listAlerts({ budgetId: "b", unacknowledgedOnly: true })).alerts).toHaveLength(1);
      expect((await store.listAlerts({ budgetId: "other" })).alerts).toEqual([]);
      expect((await store.listAlerts({ budgetId: "b'; --" })).alerts).toEqual([]);
    });

    it("answers a soft limit with its fallback model, and lets critical requests use the overdraft", async () => {
      await engine.upsertBudget({
        id: "soft",
        scope: { model: "test-model" },
        limits: [
          {
            id: "d",
            window: { type: "day" },
            cost: "0.001",
            enforcement: "soft_limit",
            fallbackModel: "test-mini",
          },
        ],
      });
      await engine.upsertBudget({
        id: "hard",
        limits: [{ id: "d", window: { type: "day" }, tokens: 1000, overdraft: { tokens: 500 } }],
      });
      const soft = await engine.reserve({
        dimensions: dims,
        estimate: { inputTokens: 900, outputTokens: 100 },
      });
      expect(soft.status === "allowed" && soft.fallbackModel).toBe("test-mini");
      const normal = await engine.reserve({
        dimensions: { provider: "test", model: "test-mini" },
        estimate: { inputTokens: 400 },
      });
      expect(normal.status).toBe("denied");
      const critical = await engine.reserve({
        dimensions: { provider: "test", model: "test-mini" },
        estimate: { inputTokens: 400 },
        priority: "critical",
      });
      expect(critical.status).toBe("allowed");
    });

    it("denies an unknown model instead of counting it free", async () => {
      await engine.upsertBudget(tokensBudget("b", 1000));
      const r = await engine.reserve({
        dimensions: { model: "nobody-knows-me" },
        estimate: { inputTokens: 1 },
      });
      expect(r.status === "denied" && r.denial.reason).toBe("unknown_model");
      await expect(
        engine.record({ dimensions: { model: "nobody-knows-me" }, usage: { inputTokens: 1 } }),
      ).rejects.toSatisfy((e) => isBudgetError(e, "unknown_model"));
      expect((await store.listEvents({})).events).toHaveLength(0);
    });

    it("sums a rolling window over its buckets", async () => {
      await engine.upsertBudget({
        id: "r",
        limits: [{ id: "h", window: { type: "rolling", minutes: 60 }, tokens: 100 }],
      });
      await engine.record({ dimensions: dims, usage: { inputTokens: 60 } });
      clock.advance(30 * 60_000);
      await engine.record({ dimensions: dims, usage: { inputTokens: 40 } });
      expect((await engine.reserve({ dimensions: dims, estimate: { inputTokens: 1 } })).status).toBe(
        "denied",
      );
      clock.advance(31 * 60_000);
      expect(await usedTokens("r")).toBe(40);
    });

    it("holds a rolling window exactly under interleaved reservations, as its usage ages out", async () => {
      const n = options.concurrency ?? 200;
      await engine.upsertBudget({
        id: "r",
        limits: [{ id: "h", window: { type: "rolling", minutes: 60 }, tokens: 1000 }],
      });
      const start = clock.now();
      await engine.record({ dimensions: dims, usage: { inputTokens: 600 } });
      const round = async () => {
        const results = await Promise.all(
          Array.from({ length: n }, () =>
            engine.reserve({ dimensions: dims, estimate: { inputTokens: 30 } }),
          ),
        );
        const allowed = results.flatMap((r) => (r.status === "allowed" ? [r.reservationId] : []));
        await Promise.all(
          allowed.map((id) => engine.commit({ reservationId: id, usage: { inputTokens: 30 } })),
        );
        return allowed.length;
      };
      clock.advance(30 * 60_000);
      expect(await round()).toBe(13); // 400 left
      clock.advance(31 * 60_000); // the 600 leaves the window; the 390 stays
      // A record from before the window counts in its own bucket, not in the window.
      await engine.record({ dimensions: dims, usage: { inputTokens: 5 }, time: start });
      expect(await round()).toBe(20); // 610 left
      expect(await usedTokens("r")).toBe(990);
      expect((await engine.reconcile()).drift).toEqual([]);
      clock.advance(30 * 60_000); // the 390 leaves
      expect(await usedTokens("r")).toBe(600);
      expect(await round()).toBe(13);
    });

    it("resets a budget's windows", async () => {
      await engine.upsertBudget(tokensBudget("b", 100));
      await engine.record({ dimensions: dims, usage: { inputTokens: 100 } });
      clock.advance(1000);
      await engine.resetBudget("b");
      expect(await usedTokens("b")).toBe(0);
      expect((await engine.reserve({ dimensions: dims, estimate: { inputTokens: 50 } })).status).toBe(
        "allowed",
      );
    });

    it("keeps counters equal to the ledger; reconcile finds and repairs drift", async () => {
      await engine.upsertBudget(tokensBudget("b", 100_000, { scope: { worker: { each: true } } }));
      for (let i = 0; i < 20; i++)
        await engine.record({ dimensions: { ...dims, worker: `w${i % 3}` }, usage: { inputTokens: i } });
      expect((await engine.reconcile()).drift).toEqual([]);
      const [c] = await store.listCounters("b");
      if (!c) throw new Error("expected a counter");
      await store.setCountersUsed([{ counter: c, used: { ...c.used, tokens: c.used.tokens + 7 } }]);
      const found = await engine.reconcile({ repair: true });
      expect(found.drift).toHaveLength(1);
      expect((await engine.reconcile()).drift).toEqual([]);
    });

    it("paginates the ledger oldest first without repeats", async () => {
      for (let i = 0; i < 25; i++) {
        clock.advance(1000);
        await engine.record({ dimensions: dims, usage: { inputTokens: 1 }, idempotencyKey: `e${i}` });
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listEvents({ limit: 10, ...(cursor ? { cursor } : {}) });
        seen.push(...page.events.map((e) => e.idempotencyKey));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `e${i}`));
      expect((await store.listEvents({ from: clock.now() - 4500 })).events).toHaveLength(5);
      expect((await store.listEvents({ dimensions: { model: "other" } })).events).toHaveLength(0);
    });

    it("paginates the ledger newest first with order: desc, same events, no repeats", async () => {
      for (let i = 0; i < 25; i++) {
        // Two events per instant: ties are broken by id, in reverse too.
        if (i % 2 === 0) clock.advance(1000);
        await engine.record({ dimensions: dims, usage: { inputTokens: 1 }, idempotencyKey: `d${i}` });
      }
      const read = async (order: "asc" | "desc") => {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.listEvents({ limit: 7, order, ...(cursor ? { cursor } : {}) });
          seen.push(...page.events.map((e) => e.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return seen;
      };
      const asc = await read("asc");
      expect(asc).toHaveLength(25);
      expect(await read("desc")).toEqual([...asc].reverse());
      const newest = await store.listEvents({ limit: 1, order: "desc" });
      expect(newest.events[0]?.idempotencyKey).toBe("d24");
    });

    it("refuses a commit or hold that would take a counter past its ceiling, changing nothing", async () => {
      const max = "1152921504";
      const bounded = createBudgetEngine({
        store,
        catalog: createTestCatalog(),
        clock,
        ids: createSequentialIds(),
        budgetCacheMs: 0,
        amountBounds: { maxEventCostUsd: max, maxLimitCostUsd: max },
      });
      await bounded.upsertBudget({
        id: "b",
        limits: [{ id: "all", window: { type: "lifetime" }, cost: "1", enforcement: "warn" }],
      });
      for (let i = 0; i < 4; i++) await bounded.record({ dimensions: dims, usage: {}, costUsd: max });
      const r = await bounded.reserve({ dimensions: dims, costUsd: "1" });
      const before = await store.listCounters("b");
      const codeOf = (p: Promise<unknown>) =>
        p.then(
          () => "ok",
          (e: unknown) => (isBudgetError(e) ? e.code : String(e)),
        );
      expect(await codeOf(bounded.record({ dimensions: dims, usage: {}, costUsd: max }))).toBe(
        "counter_overflow",
      );
      expect(await codeOf(bounded.reserve({ dimensions: dims, costUsd: max }))).toBe("counter_overflow");
      if (r.status !== "allowed") throw new Error("the small reserve should fit");
      expect(await codeOf(bounded.commit({ reservationId: r.reservationId, usage: {}, costUsd: max }))).toBe(
        "counter_overflow",
      );
      expect(await store.listCounters("b")).toEqual(before);
      expect((await store.listEvents({})).events).toHaveLength(4);
      expect((await store.getReservation(r.reservationId))?.status).toBe("active");
      expect((await bounded.commit({ reservationId: r.reservationId, usage: {}, costUsd: "1" })).status).toBe(
        "committed",
      );
    });

    it("places no hold at all when one cap fails (store level)", async () => {
      const ref = (key: string) => ({
        key,
        budgetId: "x",
        limitId: "l",
        partition: "",
        windowStart: 0,
        windowEnd: null,
      });
      const amounts = { tokens: 10, costNanoUsd: 5n, requests: 1 };
      const holds: CounterHold[] = [
        { counter: ref("a"), amounts, cap: { sumKeys: ["a"], tokens: 100 } },
        { counter: ref("b"), amounts, cap: { sumKeys: ["b"], costNanoUsd: 4n } },
      ];
      const res = (id: string): Reservation => ({
        id,
        idempotencyKey: null,
        status: "active",
        createdAt: 0,
        expiresAt: 1000,
        dimensions: {},
        estimate: amounts,
        priceVersionId: null,
        holds: holds.map((h) => ({ key: h.counter.key, amounts: h.amounts })),
      });
      const out = await store.reserve(res("r1"), holds);
      expect(out).toEqual({ ok: false, failedHold: 1, current: { tokens: 0, costNanoUsd: 0n, requests: 0 } });
      for (const c of await store.getCounters(["a", "b"]))
        expect(c.reserved).toEqual({ tokens: 0, costNanoUsd: 0n, requests: 0 });
      expect(await store.getReservation("r1")).toBeNull();
    });

    it("keeps price versions, closes them without editing, and decides pending changes once", async () => {
      const v1 = { ...TEST_PRICES[0]!, id: "v1" };
      await store.savePriceVersions([v1], []);
      const v2 = { ...v1, id: "v2", tokenRates: { input: "2", output: "4" }, effectiveFrom: 1000 };
      await store.savePriceVersions([v2], [{ id: "v1", effectiveTo: 1000 }]);
      const list = await store.listPriceVersions({ model: "test-model" });
      expect(list.map((v) => [v.id, v.effectiveTo]).sort()).toEqual([
        ["v1", 1000],
        ["v2", null],
      ]);
      expect(list.find((v) => v.id === "v1")?.tokenRates).toEqual(v1.tokenRates);
      await store.savePendingPriceChange({
        id: "p1",
        status: "pending",
        createdAt: 1,
        decidedAt: null,
        provider: "test",
        model: "test-model",
        proposed: { ...v2, id: "v3" },
        evidence: { changePct: 900 },
      });
      expect(await store.decidePendingPriceChange("p1", "rejected", 2)).toBe(true);
      expect(await store.decidePendingPriceChange("p1", "approved", 3)).toBe(false);
      expect((await store.listPendingPriceChanges({ status: "rejected" }))[0]?.evidence).toEqual({
        changePct: 900,
      });
    });

    it("keeps API keys by id and finds them by hash", async () => {
      const key = {
        id: "key_1",
        name: "ci",
        role: "writer" as const,
        components: ["planner"],
        hash: "ab".repeat(32),
        prefix: "bgt_abcd",
        createdAt: 5,
        revokedAt: null,
      };
      await store.putApiKey(key);
      await store.putApiKey({
        ...key,
        id: "key_2",
        name: "ops",
        role: "admin",
        hash: "cd".repeat(32),
        createdAt: 6,
      });
      expect(await store.getApiKeyByHash("ab".repeat(32))).toEqual(key);
      expect(await store.getApiKeyByHash("ef".repeat(32))).toBeNull();
      await store.putApiKey({ ...key, revokedAt: 9 });
      expect((await store.listApiKeys()).map((k) => [k.id, k.revokedAt])).toEqual([
        ["key_1", 9],
        ["key_2", null],
      ]);
    });

    it("stores and lists runs, newest first", async () => {
      for (const [id, startedAt] of [
        ["r1", 1],
        ["r2", 2],
      ] as const) {
        await store.putRun({
          id,
          name: id,
          status: "running",
          startedAt,
          endedAt: null,
          config: { a: 1 },
          summary: {},
        });
      }
      await store.putRun({
        id: "r1",
        name: "r1",
        status: "completed",
        startedAt: 1,
        endedAt: 5,
        config: { a: 1 },
        summary: { tokens: 3 },
        startedBy: { keyId: "key_1", components: ["planner"] },
      });
      expect((await store.getRun("r1"))?.summary).toEqual({ tokens: 3 });
      expect((await store.getRun("r1"))?.startedBy).toEqual({ keyId: "key_1", components: ["planner"] });
      expect((await store.getRun("r2"))?.startedBy).toBeUndefined();
      expect((await store.listRuns()).runs.map((r) => r.id)).toEqual(["r2", "r1"]);
    });

    it("keeps webhook deliveries until deleted, oldest first, never overwriting one", async () => {
      const delivery = (id: string, createdAt: number, body = `{"id":"${id}"}`) => ({
        id,
        webhook: "ops",
        type: "alert.threshold",
        body,
        createdAt,
      });
      await store.saveWebhookDeliveries([delivery("d2", 20), delivery("d1", 10)]);
      await store.saveWebhookDeliveries([delivery("d1", 10, "changed"), delivery("d3", 30)]);
      expect(await store.listWebhookDeliveries()).toEqual([
        delivery("d1", 10),
        delivery("d2", 20),
        delivery("d3", 30),
      ]);
      await store.deleteWebhookDelivery("d2");
      await store.deleteWebhookDelivery("unknown");
      expect((await store.listWebhookDeliveries()).map((d) => d.id)).toEqual(["d1", "d3"]);
    });
  });
}
