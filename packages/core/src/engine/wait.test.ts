import { describe, expect, it } from "vitest";
import type { Limit } from "../budget/budget.js";
import { isBudgetError } from "../errors/budget-error.js";
import { createManualClock } from "../ports/clock.js";
import { createSequentialIds } from "../ports/ids.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createTestCatalog } from "../testing/fixtures.js";
import { createBudgetEngine } from "./engine.js";

const dims = { provider: "test", model: "test-model" };
const slots = (concurrency: number): Omit<Limit, "enforcement" | "thresholds"> => ({
  id: "slots",
  window: { type: "lifetime" },
  concurrency,
});

async function setup(limit: Omit<Limit, "enforcement" | "thresholds">, options = {}) {
  const clock = createManualClock("2026-05-01T10:30:00Z");
  const engine = createBudgetEngine({
    store: createMemoryStore(),
    catalog: createTestCatalog(),
    clock,
    ids: createSequentialIds(),
    waitPollMs: 5,
    ...options,
  });
  await engine.upsertBudget({ id: "b", limits: [limit] });
  return { clock, engine };
}

const inFlightNow = async (engine: Awaited<ReturnType<typeof setup>>["engine"]) =>
  (await engine.status({ budgetId: "b" }))[0]?.inFlight;

describe("waiting for capacity", () => {
  it("100 waiters on a concurrency cap of 4 all complete, in arrival order, never more than 4 in flight", async () => {
    const { engine } = await setup(slots(4));
    // The first reserve of a second also sweeps expired holds: done here, so arrival is call order.
    const warm = await engine.reserve({ dimensions: dims });
    if (warm.status === "allowed") await engine.release(warm.reservationId);
    const order: number[] = [];
    let peak = 0;
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const r = await engine.reserve({ dimensions: dims, estimate: { inputTokens: 1 }, waitMs: 30_000 });
        if (r.status !== "allowed") throw new Error(`waiter ${i} was denied`);
        order.push(i);
        peak = Math.max(peak, (await inFlightNow(engine)) ?? 0);
        await new Promise((done) => setImmediate(done)); // the call itself
        await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 1 } });
      }),
    );
    expect(order.join(",")).toBe(Array.from({ length: 100 }, (_, i) => i).join(","));
    expect(peak).toBe(4);
    expect(await inFlightNow(engine)).toBe(0);
    expect((await engine.store.listEvents({ limit: 1000 })).events).toHaveLength(100);
  });

  it("serves higher priorities first, FIFO within one", async () => {
    const { engine } = await setup(slots(1));
    const held = await engine.reserve({ dimensions: dims });
    if (held.status !== "allowed") throw new Error("expected allowed");
    const order: string[] = [];
    const wait = (name: string, priority: "low" | "normal" | "high") =>
      engine.reserve({ dimensions: dims, waitMs: 30_000, priority }).then(async (r) => {
        if (r.status !== "allowed") throw new Error(`${name} was denied`);
        order.push(name);
        await engine.release(r.reservationId);
      });
    const all = [
      wait("low", "low"),
      wait("normal-1", "normal"),
      wait("high", "high"),
      wait("normal-2", "normal"),
    ];
    await new Promise((done) => setTimeout(done, 20)); // every waiter queued
    await engine.release(held.reservationId);
    await Promise.all(all);
    expect(order).toEqual(["high", "normal-1", "normal-2", "low"]);
  });

  it("is cancelled by its signal, answering the denial and leaving the queue", async () => {
    const { engine } = await setup(slots(1));
    expect((await engine.reserve({ dimensions: dims })).status).toBe("allowed");
    const abort = new AbortController();
    const waiting = engine.reserve({ dimensions: dims, waitMs: 30_000 }, { signal: abort.signal });
    abort.abort();
    const r = await waiting;
    expect(r.status).toBe("denied");
  });

  it("times out with the denial; a full queue denies at once; a wait past the maximum is refused", async () => {
    const { engine } = await setup(slots(1), { maxWaiters: 1, maxWaitMs: 1_000 });
    expect((await engine.reserve({ dimensions: dims })).status).toBe("allowed");
    const first = engine.reserve({ dimensions: dims, waitMs: 50 });
    const second = await engine.reserve({ dimensions: dims, waitMs: 1_000 }); // the queue is full
    expect(second.status).toBe("denied");
    expect((await first).status).toBe("denied");
    const err = await engine.reserve({ dimensions: dims, waitMs: 1_001 }).catch((e: unknown) => e);
    expect(isBudgetError(err, "invalid_input")).toBe(true);
    expect((err as Error).message).toContain("waitMs");
    expect(await inFlightNow(engine)).toBe(1);
  });

  it("waits for a rolling window's usage to age out", async () => {
    const { engine, clock } = await setup({ id: "r", window: { type: "rolling", minutes: 60 }, tokens: 100 });
    await engine.record({ dimensions: dims, usage: { inputTokens: 100 } });
    const waiting = engine.reserve({ dimensions: dims, estimate: { inputTokens: 50 }, waitMs: 30_000 });
    await new Promise((done) => setTimeout(done, 20));
    clock.advance(61 * 60_000);
    expect((await waiting).status).toBe("allowed");
  });

  it("does not wait when waiting cannot help: a request larger than the limit", async () => {
    const { engine } = await setup({ id: "d", window: { type: "day" }, tokens: 100 });
    const r = await engine.reserve({ dimensions: dims, estimate: { inputTokens: 500 }, waitMs: 30_000 });
    expect(r.status).toBe("denied");
  });
});
