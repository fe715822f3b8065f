import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BudgetEngine, createBudgetEngine, createManualClock } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { createSqliteStore } from "../sqlite/sqlite-store.js";
import {
  createTestPostgresStore,
  destroyTestPostgresStore,
  postgresAvailable,
} from "../testing/postgres-test-db.js";
import type { KyselyStoreBase } from "./kysely-store-base.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 20, 12);
const dir = mkdtempSync(join(tmpdir(), "budget-retention-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stores: [string, () => Promise<{ store: KyselyStoreBase; done: () => Promise<void> }>][] = [
  [
    "SQLite",
    async () => {
      const store = await createSqliteStore({ file: join(dir, `${Math.random()}.db`) });
      return { store, done: () => store.close() };
    },
  ],
];
if (await postgresAvailable())
  stores.push([
    "PostgreSQL",
    async () => {
      const store = await createTestPostgresStore();
      return { store, done: () => destroyTestPostgresStore(store) };
    },
  ]);

/** An engine at NOW with a lifetime and a monthly limit, and usage 60 days ago, 10 days ago and today. */
async function withHistory(store: KyselyStoreBase): Promise<BudgetEngine> {
  // The budget exists before its history: a budget counts only events from its creation on.
  const clock = createManualClock(NOW - 61 * DAY);
  const engine = createBudgetEngine({ store, catalog: createTestCatalog(), clock });
  await engine.upsertBudget({
    id: "team",
    scope: { component: "bot" },
    limits: [
      { id: "ever", window: { type: "lifetime" }, tokens: 1e9 },
      { id: "month", window: { type: "month" }, tokens: 1e9 },
    ],
  });
  clock.set(NOW);
  for (const daysAgo of [60, 10, 0])
    await engine.record({
      dimensions: { component: "bot", provider: "test", model: "test-model" },
      usage: { inputTokens: 100 },
      time: NOW - daysAgo * DAY,
    });
  return engine;
}

describe.each(stores)("retention on %s", (_name, open) => {
  it("records the horizon, never lowers it, and reconcile leaves windows older than it alone", async () => {
    const { store, done } = await open();
    try {
      const engine = await withHistory(store);
      expect(await store.eventsPrunedBefore()).toBeNull();
      expect(await store.pruneEvents(NOW - 30 * DAY)).toBe(1);
      expect(await store.pruneEvents(NOW - 90 * DAY)).toBe(0);
      expect(await store.eventsPrunedBefore()).toBe(NOW - 30 * DAY);

      const before = await store.listCounters("team");
      const checked = await engine.reconcile({ repair: true });
      // The lifetime and April windows began before the horizon: the lifetime counter keeps its 300
      // tokens instead of being "repaired" to the 200 still in the ledger.
      expect(checked).toMatchObject({ events: 2, drift: [], skipped: 2 });
      expect(await store.listCounters("team")).toEqual(before);
      expect(before.find((c) => c.limitId === "ever")?.used.tokens).toBe(300);
      // June's window is still proven by the ledger: drift in it is found and repaired.
      const june = before.find((c) => c.limitId === "month" && c.windowStart === Date.UTC(2026, 5, 1))!;
      await store.setCountersUsed([{ counter: june, used: { ...june.used, tokens: 1 } }]);
      const fixed = await engine.reconcile({ repair: true });
      expect(fixed.drift.map((d) => d.key)).toEqual([june.key]);
      expect((await store.getCounters([june.key]))[0]?.used.tokens).toBe(june.used.tokens);
    } finally {
      await done();
    }
  });

  it("deletes the settled reservations created before the horizon, never active or newer ones", async () => {
    const { store, done } = await open();
    try {
      const clock = createManualClock(NOW - 60 * DAY);
      const engine = createBudgetEngine({ store, catalog: createTestCatalog(), clock });
      const dimensions = { component: "bot", provider: "test", model: "test-model" };
      const reserve = async () => {
        const r = await engine.reserve({ dimensions, estimate: { inputTokens: 10 } });
        if (r.status !== "allowed") throw new Error("expected allowed");
        return r.reservationId;
      };
      const settledAt = async (daysAgo: number, n: number) => {
        clock.set(NOW - daysAgo * DAY);
        const ids: string[] = [];
        for (let i = 0; i < n; i++) {
          const id = await reserve();
          if (i % 2 === 0) await engine.commit({ reservationId: id, usage: { inputTokens: 10 } });
          else await engine.release(id);
          ids.push(id);
        }
        return ids;
      };
      const old = await settledAt(60, 21);
      const recent = await settledAt(10, 21);
      clock.set(NOW - 31 * DAY); // older than the horizon, but active (no sweep has run since)
      const stillActive = await reserve();
      await store.pruneEvents(NOW - 30 * DAY);
      for (const id of old) expect(await store.getReservation(id)).toBeNull();
      expect((await store.getReservation(stillActive))?.status).toBe("active");
      for (const id of recent) expect((await store.getReservation(id))?.status).not.toBe("active");
    } finally {
      await done();
    }
  });
});
