import { createBudgetEngine, createManualClock, isBudgetError } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import pg from "pg";
import { describe, expect, it } from "vitest";
import {
  createTestPostgresStore,
  destroyTestPostgresStore,
  PG_TEST_URL,
  postgresAvailable,
} from "../testing/postgres-test-db.js";

describe("PostgreSQL: a sum past 64 bits", () => {
  it("is counter_overflow (a 4xx), rolled back whole, not a driver error", async () => {
    if (!(await postgresAvailable())) return;
    const store = await createTestPostgresStore();
    try {
      const engine = createBudgetEngine({
        store,
        catalog: createTestCatalog(),
        clock: createManualClock("2026-05-01T00:00:00Z"),
      });
      const dims = { component: "c", model: "test-model" };
      await engine.record({ dimensions: dims, usage: { inputTokens: 1 } });
      // An hourly rollup already near the 64-bit limit (no budget matches, so no counter stops it).
      const client = new pg.Client({ connectionString: PG_TEST_URL });
      await client.connect();
      await client.query(
        `UPDATE "${store.options.schema}".rollups_hourly SET cost_nano = 9223372036854775000`,
      );
      await client.end();
      const err = await engine.record({ dimensions: dims, usage: {}, costUsd: "1" }).catch((e: unknown) => e);
      expect(isBudgetError(err, "counter_overflow")).toBe(true);
      expect((await store.listEvents({})).events).toHaveLength(1);
    } finally {
      await destroyTestPostgresStore(store);
    }
  });
});
