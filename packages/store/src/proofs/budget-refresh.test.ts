import {
  type BudgetEngine,
  createBudgetEngine,
  createManualClock,
  createSequentialIds,
  type Store,
} from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresStore, type PostgresStore } from "../postgres/postgres-store.js";
import { dropSchema, PG_TEST_URL, postgresAvailable, randomSchema } from "../testing/postgres-test-db.js";

/** The documented bound: a budget change is in force on every instance this long after it. */
const REFRESH_MS = 1000;

/** `store` with a count of its budget reads (the whole table, the sequence, the changes). */
function counted(store: Store) {
  const reads = { listBudgets: 0, budgetSeq: 0, budgetChangesSince: 0, changedRead: 0 };
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== "function") return v;
      if (prop === "listBudgets" || prop === "budgetSeq") {
        return (...args: unknown[]) => {
          reads[prop] += 1;
          return v.apply(target, args);
        };
      }
      if (prop === "budgetChangesSince") {
        return async (since: number) => {
          reads.budgetChangesSince += 1;
          const changes = await target.budgetChangesSince(since);
          reads.changedRead += changes.changed.length + changes.deleted.length;
          return changes;
        };
      }
      return v.bind(target);
    },
  });
  return { store: wrapped, reads };
}

const estimate = (tokens: number) => ({ inputTokens: tokens, outputTokens: 0 });

const available = await postgresAvailable();
const schema = randomSchema();
const stores: PostgresStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  if (available) await dropSchema(schema);
});

describe.skipIf(!available)(
  "budget changes reach every instance (two engines, one PostgreSQL database)",
  () => {
    it(`a lowered hard limit, a new budget and a deletion are in force on the other instance within ${REFRESH_MS} ms, reading only what changed`, async () => {
      const clock = createManualClock("2026-06-01T10:00:00Z");
      const open = async () => {
        const s = await createPostgresStore({ url: PG_TEST_URL, schema, poolSize: 4 });
        stores.push(s);
        return s;
      };
      const engine = (store: Store): BudgetEngine =>
        createBudgetEngine({
          store,
          catalog: createTestCatalog(),
          clock,
          ids: createSequentialIds(),
          budgetCacheMs: REFRESH_MS,
        });
      const a = engine(await open());
      const b = counted(await open());
      const other = engine(b.store);
      const dims = { provider: "test", model: "test-model", component: "planner", run: "r1" };

      await a.upsertBudget({
        id: "team",
        scope: { component: "planner" },
        limits: [{ id: "daily", window: { type: "day" }, tokens: 100_000 }],
      });
      for (let i = 0; i < 50; i++)
        await a.upsertBudget({
          id: `run-${i}`,
          scope: { run: `other-${i}` },
          limits: [{ id: "life", window: { type: "lifetime" }, tokens: 10 }],
        });
      expect((await other.reserve({ dimensions: dims, estimate: estimate(5_000) })).status).toBe("allowed");
      expect(b.reads.listBudgets).toBe(1);

      // Within the interval the other instance reads nothing about budgets.
      const seqReads = b.reads.budgetSeq;
      clock.advance(REFRESH_MS - 1);
      await other.reserve({ dimensions: dims, estimate: estimate(1) });
      expect(b.reads.budgetSeq).toBe(seqReads);

      // 1. A lowered hard limit.
      clock.advance(1);
      await a.upsertBudget({
        id: "team",
        scope: { component: "planner" },
        limits: [{ id: "daily", window: { type: "day" }, tokens: 6_000 }],
      });
      clock.advance(REFRESH_MS);
      const lowered = await other.reserve({ dimensions: dims, estimate: estimate(5_000) });
      expect(lowered.status === "denied" && lowered.denial.budgetId).toBe("team");

      // 2. A new budget.
      await a.upsertBudget({
        id: "run-r1",
        scope: { run: "r1" },
        limits: [{ id: "life", window: { type: "lifetime" }, tokens: 100 }],
      });
      clock.advance(REFRESH_MS);
      const added = await other.reserve({ dimensions: dims, estimate: estimate(500) });
      expect(added.status === "denied" && added.denial.budgetId).toBe("run-r1");

      // 3. A deletion.
      expect(await a.deleteBudget("run-r1")).toBe(true);
      clock.advance(REFRESH_MS);
      const afterDelete = await other.reserve({ dimensions: dims, estimate: estimate(500) });
      expect(afterDelete.status).toBe("allowed");
      if (afterDelete.status === "allowed") expect(afterDelete.budgetIds).toEqual(["team"]);

      // The whole table was read once; afterwards only the three budgets changed.
      expect(b.reads.listBudgets).toBe(1);
      expect(b.reads.budgetChangesSince).toBe(3);
      expect(b.reads.changedRead).toBe(3);
    });
  },
);
