import { createBudgetEngine, createMemoryKeyStore } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { createPostgresStore } from "@budget/store/postgres";
import pg from "pg";
import { describe, expect, it } from "vitest";
import {
  dropSchema,
  PG_TEST_URL,
  postgresAvailable,
  randomSchema,
} from "../../../store/src/testing/postgres-test-db.js";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";

const dims = { provider: "test", model: "test-model" };

describe("drift and slices in /metrics and reconcile", async () => {
  const available = await postgresAvailable();
  it.skipIf(!available)(
    "reads 0 drift with slices out, names what they hold, and shows a real drift",
    async () => {
      const schema = randomSchema();
      const store = await createPostgresStore({
        url: PG_TEST_URL,
        schema,
        poolSize: 4,
        slices: { enabled: true },
      });
      try {
        const engine = createBudgetEngine({ store, catalog: createTestCatalog() });
        await engine.upsertBudget({
          id: "hot",
          limits: [{ id: "l", window: { type: "lifetime" }, tokens: 10_000, enforcement: "hard_limit" }],
        });
        for (let i = 0; i < 4; i++) {
          const r = await engine.reserve({ dimensions: dims, estimate: { inputTokens: 10 } });
          if (r.status !== "allowed") throw new Error("denied");
          await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 10 } });
        }
        const auth = createAuth(createMemoryKeyStore());
        const admin = (await auth.createKey({ name: "admin", role: "admin" })).key;
        const { app } = createBudgetApp({ engine, keys: auth });
        const headers = { authorization: `Bearer ${admin}`, "content-type": "application/json" };
        const reconcile = async () =>
          (await (await app.request("/v1/reconcile", { method: "POST", headers, body: "{}" })).json()) as {
            drift: unknown[];
            slices: {
              key: string;
              slices: number;
              unsettled: { tokens: number };
              granted: { tokens: number };
            }[];
          };
        const metrics = async () => (await app.request("/metrics", { headers })).text();

        const first = await reconcile();
        expect(first.drift).toEqual([]);
        expect(first.slices).toHaveLength(1);
        expect(first.slices[0]?.unsettled.tokens).toBe(40);
        expect(first.slices[0]?.granted.tokens).toBeGreaterThanOrEqual(40);
        let text = await metrics();
        expect(text).toMatch(/^budget_counters_drifted 0$/m);
        expect(text).toMatch(/^budget_slice_unsettled\{budget="hot",limit="l",amount="tokens"\} 40$/m);

        // A counter changed behind the ledger's back is drift, per limit, until repaired.
        const client = new pg.Client({ connectionString: PG_TEST_URL });
        await client.connect();
        await client.query(
          `UPDATE "${schema}".counters SET used_tokens = used_tokens + 7 WHERE slice_of IS NULL`,
        );
        await client.end();
        expect((await reconcile()).drift).toHaveLength(1);
        text = await metrics();
        expect(text).toMatch(/^budget_counters_drifted 1$/m);
        expect(text).toMatch(/^budget_counter_drift\{budget="hot",limit="l",amount="tokens"\} 7$/m);
        await app.request("/v1/reconcile", { method: "POST", headers, body: '{"repair":true}' });
        expect((await reconcile()).drift).toEqual([]);
        const [status] = await engine.status({ budgetId: "hot" });
        expect(status?.used.tokens).toBe(40);
      } finally {
        await store.close();
      }
      // Closed, the store settled its slice: nothing is left unsettled, and the counter is the ledger.
      const after = await createPostgresStore({ url: PG_TEST_URL, schema, poolSize: 2 });
      expect(await after.sliceStatus()).toEqual([]);
      expect(
        (await createBudgetEngine({ store: after, catalog: createTestCatalog() }).reconcile()).drift,
      ).toEqual([]);
      await after.close();
      await dropSchema(schema);
    },
  );
});
