import {
  type BudgetClient,
  type BudgetError,
  isBudgetError,
  type ManualClock,
  type Store,
} from "@budget/core";
import { expect } from "vitest";

/** What a scenario gets: a client (in-process engine or HTTP), the clock and the store behind it. */
export interface Harness {
  client: BudgetClient;
  clock: ManualClock;
  store: Store;
}

/** A named behaviour check run against every {@link BudgetClient} implementation. */
export interface Scenario {
  name: string;
  run(h: Harness): Promise<void>;
}

const dims = { provider: "test", model: "test-model" };

async function failure(p: Promise<unknown>): Promise<BudgetError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isBudgetError(err), String(err)).toBe(true);
  return err as BudgetError;
}

async function invalid(p: Promise<unknown>, field: string): Promise<void> {
  const err = await failure(p);
  expect(err.code).toBe("invalid_input");
  expect(err.message).toContain(field);
}

/** The engine's behaviour, as every client must show it. */
export const BEHAVIOUR_SCENARIOS: Scenario[] = [
  {
    name: "bad usage input is a typed invalid_input naming the field, and changes nothing",
    async run({ client, store }) {
      await invalid(client.record({ dimensions: dims, usage: { inputTokens: -1 } }), "usage.inputTokens");
      await invalid(client.record({ dimensions: dims, usage: { outputTokens: 1.5 } }), "usage.outputTokens");
      await invalid(
        client.record({ dimensions: dims, usage: { outputTokens: 1, reasoningTokens: 2 } }),
        "reasoningTokens",
      );
      await invalid(
        client.record({ dimensions: { ...dims, colour: "red" } as never, usage: {} }),
        "dimensions",
      );
      expect((await store.listEvents({})).events).toEqual([]);
    },
  },
  {
    name: "bad budgets are refused with the field named",
    async run({ client, store }) {
      const day = { type: "day" } as const;
      await invalid(
        client.upsertBudget({
          id: "b",
          limits: [{ id: "l", window: { type: "fortnight" } as never, tokens: 5 }],
        }),
        "window",
      );
      await invalid(
        client.upsertBudget({ id: "b", limits: [{ id: "l", window: day, tokens: 0 }] }),
        "tokens",
      );
      await invalid(client.upsertBudget({ id: "b", limits: [{ id: "l", window: day, cost: "0" }] }), "cost");
      await invalid(client.upsertBudget({ id: "b", limits: [{ id: "l", window: day }] }), "at least one of");
      await invalid(client.upsertBudget({ id: "b", limits: [] }), "at least one limit");
      await invalid(
        client.upsertBudget({
          id: "b",
          timezone: "Mars/Olympus",
          limits: [{ id: "l", window: day, tokens: 5 }],
        }),
        "timezone",
      );
      expect(await store.listBudgets()).toEqual([]);
    },
  },
  {
    name: "a record in the future and a commit of an unknown reservation are refused",
    async run({ client, clock }) {
      await invalid(client.record({ dimensions: dims, usage: {}, time: clock.now() + 3_600_000 }), "time");
      expect((await failure(client.commit({ reservationId: "res_nope", usage: {} }))).code).toBe("not_found");
    },
  },
  {
    name: "reserve, commit: exact cost, price version, counters and status",
    async run({ client }) {
      await client.upsertBudget({ id: "team", limits: [{ id: "day", window: { type: "day" }, cost: "1" }] });
      const r = await client.reserve({
        dimensions: dims,
        estimate: { inputTokens: 1000, outputTokens: 100 },
      });
      if (r.status !== "allowed") throw new Error("expected allowed");
      expect(r.estimate).toEqual({ tokens: 1100, costNanoUsd: 1_200_000n, requests: 1 });
      expect(r.budgetIds).toEqual(["team"]);
      const held = await client.status({ budgetId: "team" });
      expect(held[0]?.reserved.costNanoUsd).toBe(1_200_000n);
      const c = await client.commit({
        reservationId: r.reservationId,
        usage: { inputTokens: 900, outputTokens: 50 },
      });
      expect([c.status, c.event.costNanoUsd, c.event.priceVersionId]).toEqual([
        "committed",
        1_000_000n,
        "test:test-model:1",
      ]);
      const again = await client.commit({ reservationId: r.reservationId, usage: { inputTokens: 900 } });
      expect([again.status, again.event.id]).toEqual(["duplicate", c.event.id]);
      const [s] = await client.status({ budgetId: "team" });
      expect(s?.used).toEqual({ tokens: 950, costNanoUsd: 1_000_000n, requests: 1 });
      expect(s?.reserved.costNanoUsd).toBe(0n);
      expect(s?.remaining.costNanoUsd).toBe(999_000_000n);
    },
  },
  {
    name: "a hard limit denies with the budget, limit, remaining amount and reset time",
    async run({ client }) {
      await client.upsertBudget({ id: "cap", limits: [{ id: "day", window: { type: "day" }, tokens: 100 }] });
      const r = await client.reserve({ dimensions: dims, estimate: { inputTokens: 500 } });
      if (r.status !== "denied") throw new Error("expected denied");
      expect([r.denial.budgetId, r.denial.limitId, r.denial.reason]).toEqual([
        "cap",
        "day",
        "limit_exceeded",
      ]);
      expect(r.denial.remaining?.tokens).toBe(100);
      expect(r.denial.requested.tokens).toBe(500);
      expect(typeof r.denial.resetsAt).toBe("number");
      // Larger than the limit itself: waiting cannot help.
      expect(r.denial.retryAfterMs).toBeNull();
    },
  },
  {
    name: "a reservation may wait for a concurrency slot; it gets the one a release frees",
    async run({ client }) {
      await client.upsertBudget({
        id: "slots",
        limits: [{ id: "one", window: { type: "lifetime" }, concurrency: 1 }],
      });
      const held = await client.reserve({ dimensions: dims });
      if (held.status !== "allowed") throw new Error("expected allowed");
      const denied = await client.reserve({ dimensions: dims });
      if (denied.status !== "denied") throw new Error("expected denied");
      expect([denied.denial.limit, denied.denial.retryAfterMs]).toEqual([{ concurrency: 1 }, null]);
      const waiting = client.reserve({ dimensions: dims, waitMs: 10_000 });
      await new Promise((done) => setTimeout(done, 50));
      await client.release(held.reservationId);
      expect((await waiting).status).toBe("allowed");
      const [s] = await client.status({ budgetId: "slots" });
      expect(s?.inFlight).toBe(1);
    },
  },
  {
    name: "a denial says when to retry: the reset of a calendar window",
    async run({ client, clock }) {
      await client.upsertBudget({ id: "cap", limits: [{ id: "day", window: { type: "day" }, tokens: 100 }] });
      await client.record({ dimensions: dims, usage: { inputTokens: 90 } });
      clock.advance(3_600_000);
      const r = await client.reserve({ dimensions: dims, estimate: { inputTokens: 20 } });
      if (r.status !== "denied") throw new Error("expected denied");
      expect(r.denial.retryAfterMs).toBe(23 * 3_600_000);
      expect(r.denial.windowStart).toBe(Date.parse("2026-05-01T00:00:00Z"));
    },
  },
  {
    name: "release gives the hold back; a released reservation cannot be committed",
    async run({ client }) {
      await client.upsertBudget({
        id: "r",
        limits: [{ id: "l", window: { type: "lifetime" }, requests: 1 }],
      });
      const a = await client.reserve({ dimensions: dims });
      if (a.status !== "allowed") throw new Error("expected allowed");
      expect((await client.reserve({ dimensions: dims })).status).toBe("denied");
      const released = await client.release(a.reservationId);
      expect(released.status).toBe("released");
      expect(released.estimate.requests).toBe(1);
      expect((await client.reserve({ dimensions: dims })).status).toBe("allowed");
      const err = await failure(client.commit({ reservationId: a.reservationId, usage: {} }));
      expect(err.code).toBe("reservation_not_active");
    },
  },
  {
    name: "concurrent reserves never overspend a hard limit",
    async run({ client }) {
      await client.upsertBudget({ id: "n", limits: [{ id: "l", window: { type: "day" }, requests: 10 }] });
      const results = await Promise.all(
        Array.from({ length: 25 }, () => client.reserve({ dimensions: dims })),
      );
      expect(results.filter((r) => r.status === "allowed")).toHaveLength(10);
    },
  },
  {
    name: "explicit costs, estimates and idempotent records",
    async run({ client }) {
      const r = await client.record({
        dimensions: { model: "anything" },
        usage: { inputTokens: 5 },
        costUsd: "0.25",
        idempotencyKey: "k1",
      });
      expect([r.event.costNanoUsd, r.event.pricing, r.event.priceVersionId]).toEqual([
        250_000_000n,
        "explicit",
        null,
      ]);
      const dup = await client.record({
        dimensions: { model: "anything" },
        usage: {},
        costUsd: "1",
        idempotencyKey: "k1",
      });
      expect([dup.status, dup.event.costNanoUsd]).toEqual(["duplicate", 250_000_000n]);
      expect(
        await client.estimateCost({
          model: "test-model",
          usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
        }),
      ).toEqual({
        ok: true,
        costNanoUsd: 3_000_000_000n,
        priceVersionId: "test:test-model:1",
        pricing: "priced",
      });
      expect(await client.estimateCost({ model: "no-such-model", usage: {} })).toMatchObject({ ok: false });
    },
  },
  {
    name: "warn limits allow with warnings; disabled budgets and ignore limits do not enforce",
    async run({ client }) {
      await client.upsertBudget({
        id: "w",
        limits: [{ id: "d", window: { type: "day" }, tokens: 10, enforcement: "warn" }],
      });
      await client.upsertBudget({
        id: "off",
        enabled: false,
        limits: [{ id: "d", window: { type: "day" }, tokens: 1 }],
      });
      const r = await client.reserve({ dimensions: dims, estimate: { inputTokens: 50 } });
      expect(r.status === "allowed" && r.warnings.map((w) => w.budgetId)).toEqual(["w"]);
      expect(r.status === "allowed" && r.budgetIds).toEqual(["w"]);
      if (r.status !== "allowed") return;
      const c = await client.commit({ reservationId: r.reservationId, usage: { inputTokens: 50 } });
      expect(c.alerts.map((a) => a.data.threshold)).toEqual([0.5, 0.8, 1]);
    },
  },
  {
    name: "a commit is priced with the model actually used",
    async run({ client }) {
      const r = await client.reserve({
        dimensions: { model: "test-model" },
        estimate: { inputTokens: 1000 },
      });
      if (r.status !== "allowed") throw new Error("expected allowed");
      const c = await client.commit({
        reservationId: r.reservationId,
        usage: { inputTokens: 1000 },
        model: "test-mini",
      });
      expect([c.event.dimensions.model, c.event.costNanoUsd]).toEqual(["test-mini", 100_000n]);
    },
  },
  {
    name: "reports group by dimensions and day buckets",
    async run({ client, clock }) {
      await client.record({ dimensions: { ...dims, component: "a" }, usage: { inputTokens: 1000 } });
      await client.record({ dimensions: { ...dims, component: "b" }, usage: { inputTokens: 2000 } });
      clock.advance(86_400_000);
      await client.record({ dimensions: { ...dims, component: "a" }, usage: { inputTokens: 3000 } });
      const rows = await client.report({ groupBy: ["component"], bucket: "day" });
      expect(rows.map((r) => [r.group.component, r.tokens, r.costNanoUsd])).toEqual([
        ["b", 2000, 2_000_000n],
        ["a", 1000, 1_000_000n],
        ["a", 3000, 3_000_000n],
      ]);
      const total = await client.report({ dimensions: { component: "a" } });
      expect(total.map((r) => [r.events, r.costNanoUsd])).toEqual([[2, 4_000_000n]]);
    },
  },
  {
    name: "budgets: get, list, reset, delete; unknown ids answer null and false",
    async run({ client, clock }) {
      expect(await client.getBudget("nope")).toBeNull();
      expect(await client.deleteBudget("nope")).toBe(false);
      expect((await failure(client.resetBudget("nope"))).code).toBe("not_found");
      const b = await client.upsertBudget({
        id: "x",
        limits: [{ id: "l", window: { type: "month" }, cost: "5" }],
      });
      expect(b.limits[0]?.thresholds).toEqual([0.5, 0.8, 1]);
      expect((await client.listBudgets()).map((x) => x.id)).toEqual(["x"]);
      clock.advance(1000);
      expect((await client.resetBudget("x")).resetAt).toBe(clock.now());
      expect(await client.getBudget("x")).toMatchObject({ id: "x", resetAt: clock.now() });
      expect(await client.deleteBudget("x")).toBe(true);
      expect(await client.listBudgets()).toEqual([]);
    },
  },
  {
    name: "runs: start (resumable), finish, get, list",
    async run({ client }) {
      const run = await client.startRun({ id: "r1", name: "nightly" });
      expect(run.status).toBe("running");
      expect((await client.startRun({ id: "r1", name: "nightly" })).startedAt).toBe(run.startedAt);
      const done = await client.finishRun("r1", { status: "completed", summary: { costUsd: "0.5" } });
      expect([done.status, done.summary]).toEqual(["completed", { costUsd: "0.5" }]);
      expect((await failure(client.finishRun("r1", { status: "failed" }))).code).toBe("conflict");
      expect(await client.getRun("nope")).toBeNull();
      expect((await client.listRuns()).runs.map((r) => r.id)).toEqual(["r1"]);
    },
  },
];
