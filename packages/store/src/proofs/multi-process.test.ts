import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBudgetEngine, type Store, totalTokens } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresStore } from "../postgres/postgres-store.js";
import { createSqliteStore } from "../sqlite/sqlite-store.js";
import { dropSchema, PG_TEST_URL, postgresAvailable, randomSchema } from "../testing/postgres-test-db.js";
import type { ProofChildConfig } from "../testing/proof-child.js";
import { ledgerOf, spawnProofChild } from "../testing/proof-harness.js";

type Target = ProofChildConfig["target"];
const dir = mkdtempSync(join(tmpdir(), "budget-proof-"));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  for (const s of schemas) await dropSchema(s);
});

const open = (t: Target): Promise<Store> =>
  t.kind === "sqlite"
    ? createSqliteStore({ file: t.file })
    : createPostgresStore({ url: t.url, schema: t.schema });

const lifetimeBudget = (tokens: number) => ({
  id: "hot",
  limits: [{ id: "life", window: { type: "lifetime" as const }, tokens, enforcement: "hard_limit" as const }],
});

function proofs(name: string, newTarget: () => Target, processes: number) {
  describe(`multi-process proofs: ${name}`, () => {
    it(`${processes} processes hammering one hard limit never overspend and total exactly`, async () => {
      const target = newTarget();
      const store = await open(target);
      const engine = createBudgetEngine({ store, catalog: createTestCatalog() });
      await engine.upsertBudget(lifetimeBudget(500));
      const children = Array.from({ length: processes }, () =>
        spawnProofChild({
          target,
          mode: "hammer",
          attempts: processes === 4 ? 150 : 200,
          tokens: 1,
          concurrency: 4,
        }),
      );
      const results = await Promise.all(children.map((c) => c.done));
      const allowed = results.reduce((s, r) => s + (r?.allowed ?? 0), 0);
      expect(allowed).toBe(500);
      const [status] = await engine.status({ budgetId: "hot" });
      expect(status?.used.tokens).toBe(500);
      expect(status?.reserved.tokens).toBe(0);
      const events = await ledgerOf(store);
      expect(events).toHaveLength(500);
      expect(events.reduce((s, e) => s + totalTokens(e.usage), 0)).toBe(500);
      expect((await engine.reconcile()).drift).toEqual([]);
      await store.close();
    }, 120_000);

    it("keeps every acknowledged event exactly once after SIGKILL, with counters equal to the ledger", async () => {
      const target = newTarget();
      const store = await open(target);
      const engine = createBudgetEngine({ store, catalog: createTestCatalog() });
      await engine.upsertBudget(lifetimeBudget(1_000_000_000));
      await store.close();

      const victim = spawnProofChild({ target, mode: "record", attempts: 1_000_000 });
      await victim.acked(100);
      victim.kill("SIGKILL");
      await victim.done;
      const acked = [...victim.acks];
      expect(acked.length).toBeGreaterThanOrEqual(100);

      const after = await open(target);
      for (const key of acked) expect(await after.getEventByIdempotencyKey(key)).not.toBeNull();
      // Restart: replay every key from the start (retries of acknowledged ones count once) and go on.
      const total = acked.length + 20;
      expect(await spawnProofChild({ target, mode: "record", attempts: total }).done).not.toBeNull();
      const events = await ledgerOf(after);
      expect(events.map((e) => e.idempotencyKey).sort()).toEqual(
        Array.from({ length: total }, (_, i) => `rec-${i}`).sort(),
      );
      const checker = createBudgetEngine({ store: after, catalog: createTestCatalog() });
      expect((await checker.reconcile()).drift).toEqual([]);
      const [status] = await checker.status({ budgetId: "hot" });
      expect(status?.used.tokens).toBe(events.reduce((s, e) => s + totalTokens(e.usage), 0));
      await after.close();
    }, 120_000);
  });
}

let n = 0;
proofs("SQLite, one file", () => ({ kind: "sqlite", file: join(dir, `proof-${n++}.db`) }), 4);

if (await postgresAvailable()) {
  proofs(
    "PostgreSQL, one database",
    () => {
      const schema = randomSchema();
      schemas.push(schema);
      return { kind: "postgres", url: PG_TEST_URL, schema };
    },
    3,
  );
}
