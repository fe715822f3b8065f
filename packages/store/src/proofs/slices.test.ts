import { createBudgetEngine, createManualClock, totalTokens } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createPostgresStore, type PostgresStore } from "../postgres/postgres-store.js";
import type { SliceOptions } from "../shared/slice-options.js";
import { dropSchema, PG_TEST_URL, postgresAvailable, randomSchema } from "../testing/postgres-test-db.js";
import { ledgerOf, spawnProofChild } from "../testing/proof-harness.js";

/**
 * The proofs of ADR 0010 on one PostgreSQL database: slices never let a hard limit be exceeded,
 * a killed instance's slices come back after their TTL with nothing acknowledged lost, a new
 * window starts exact while slices of the old one are out, and a lowered limit stops admissions.
 */
const SLICES: SliceOptions = { enabled: true, ttlMs: 1_000 };
const dims = { provider: "test", model: "test-model", component: "proof" };
const schemas: string[] = [];
afterAll(async () => {
  for (const s of schemas) await dropSchema(s);
});

function newSchema(): string {
  const schema = randomSchema();
  schemas.push(schema);
  return schema;
}

const openStore = (schema: string, slices?: SliceOptions): Promise<PostgresStore> =>
  createPostgresStore({ url: PG_TEST_URL, schema, poolSize: 4, ...(slices ? { slices } : {}) });

interface RawCounter {
  key: string;
  slice_of: string | null;
  used_tokens: string;
  reserved_tokens: string;
  grant_tokens: string;
  slice_expires_at: string | null;
}

/** The counter rows as stored (slices unfolded). */
async function rawCounters(schema: string): Promise<RawCounter[]> {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    const res = await client.query<RawCounter>(
      `SELECT key, slice_of, used_tokens::text, reserved_tokens::text, grant_tokens::text,
        slice_expires_at::text FROM "${schema}".counters ORDER BY key`,
    );
    return res.rows;
  } finally {
    await client.end();
  }
}

/** Every slice settled and empty, the shared rows holding nothing: what a store's close leaves. */
function expectSettled(rows: RawCounter[]): void {
  for (const r of rows) {
    expect(r.reserved_tokens, r.key).toBe("0");
    if (r.slice_of !== null) expect([r.used_tokens, r.grant_tokens], r.key).toEqual(["0", "0"]);
  }
}

const hardBudget = (
  tokens: number,
  window: { type: "lifetime" } | { type: "day" } = { type: "lifetime" },
) => ({
  id: "hot",
  limits: [{ id: "l", window, tokens, enforcement: "hard_limit" as const }],
});

if (await postgresAvailable()) {
  describe("slices on one PostgreSQL database", () => {
    it("8 processes with slices hammering one hard limit never overspend and total exactly", async () => {
      const schema = newSchema();
      const store = await openStore(schema);
      const engine = createBudgetEngine({ store, catalog: createTestCatalog() });
      await engine.upsertBudget(hardBudget(500));
      const target = { kind: "postgres" as const, url: PG_TEST_URL, schema, slices: SLICES };
      const children = Array.from({ length: 8 }, () =>
        spawnProofChild({ target, mode: "hammer", attempts: 100, tokens: 1, concurrency: 4 }),
      );
      const results = await Promise.all(children.map((c) => c.done));
      const allowed = results.reduce((s, r) => s + (r?.allowed ?? 0), 0);
      expect(allowed).toBeLessThanOrEqual(500);
      expect(allowed).toBeGreaterThan(0);
      const rows = await rawCounters(schema);
      expect(rows.filter((r) => r.slice_of !== null).length).toBeGreaterThan(1);
      expectSettled(rows);
      expect(rows.find((r) => r.slice_of === null)?.used_tokens).toBe(String(allowed));
      const [status] = await engine.status({ budgetId: "hot" });
      expect([status?.used.tokens, status?.reserved.tokens]).toEqual([allowed, 0]);
      const events = await ledgerOf(store);
      expect(events.reduce((s, e) => s + totalTokens(e.usage), 0)).toBe(allowed);
      expect((await engine.reconcile()).drift).toEqual([]);
      // What is left is exactly what was not spent: it can all be reserved, and not one token more.
      if (allowed < 500) {
        const rest = await engine.reserve({ dimensions: dims, estimate: { inputTokens: 500 - allowed } });
        expect(rest.status).toBe("allowed");
      }
      expect((await engine.reserve({ dimensions: dims, estimate: { inputTokens: 1 } })).status).toBe(
        "denied",
      );
      await store.close();
    }, 180_000);

    it("gives a SIGKILLed instance's slices back after their TTL; nothing acknowledged is lost", async () => {
      const schema = newSchema();
      const setup = await openStore(schema);
      await createBudgetEngine({ store: setup, catalog: createTestCatalog() }).upsertBudget(hardBudget(1e9));
      await setup.close();
      const target = { kind: "postgres" as const, url: PG_TEST_URL, schema, slices: SLICES };
      const victim = spawnProofChild({
        target,
        mode: "spend",
        attempts: 1_000_000,
        tokens: 3,
        concurrency: 4,
      });
      await victim.acked(100);
      victim.kill("SIGKILL");
      await victim.done;
      const acked = [...victim.acks];

      const held = await rawCounters(schema);
      const slice = held.find((r) => r.slice_of !== null);
      expect(Number(slice?.grant_tokens)).toBeGreaterThan(0);
      // Wait out the slice's TTL and the reservations' (1 s): only then may another instance reclaim.
      const expiry = Math.max(...held.map((r) => Number(r.slice_expires_at ?? 0)));
      await new Promise((r) => setTimeout(r, Math.max(0, expiry - Date.now()) + 1_200));

      // An instance without slices of its own: its expiry sweep settles the dead instance's slice.
      const after = await openStore(schema);
      for (const key of acked) expect(await after.getEventByIdempotencyKey(key)).not.toBeNull();
      const checker = createBudgetEngine({ store: after, catalog: createTestCatalog() });
      // The first sweep settles the slice down to its reservations and expires them; the next one
      // settles what they held (a server sweeps every few seconds).
      await checker.sweepExpired();
      await checker.sweepExpired();
      expectSettled(await rawCounters(schema));
      expect(await after.sliceStatus()).toEqual([]);
      const r = await checker.reserve({ dimensions: dims, estimate: { inputTokens: 3 } });
      if (r.status !== "allowed") throw new Error("reserve after the kill was denied");
      await checker.commit({ reservationId: r.reservationId, usage: { inputTokens: 3 } });
      expect((await checker.reconcile()).drift).toEqual([]);
      await after.close();

      const rows = await rawCounters(schema);
      expectSettled(rows);
      const reopened = await openStore(schema);
      const events = await ledgerOf(reopened);
      expect(events.length).toBeGreaterThanOrEqual(acked.length + 1);
      const total = events.reduce((s, e) => s + totalTokens(e.usage), 0);
      expect(rows.find((x) => x.slice_of === null)?.used_tokens).toBe(String(total));
      await reopened.close();
    }, 180_000);

    it("starts a new window exact while slices of the old one are out", async () => {
      const schema = newSchema();
      const clock = createManualClock("2026-05-01T23:59:00Z");
      const stores = [await openStore(schema, SLICES), await openStore(schema, SLICES)];
      const engines = stores.map((store) =>
        createBudgetEngine({ store, catalog: createTestCatalog(), clock, budgetCacheMs: 0 }),
      );
      await engines[0]!.upsertBudget(hardBudget(100, { type: "day" }));
      for (const e of engines)
        for (let i = 0; i < 5; i++) {
          const r = await e.reserve({ dimensions: dims, estimate: { inputTokens: 5 } });
          if (r.status !== "allowed") throw new Error("old window denied");
          await e.commit({ reservationId: r.reservationId, usage: { inputTokens: 5 } });
        }
      const old = await rawCounters(schema);
      expect(old.some((r) => r.slice_of !== null && Number(r.grant_tokens) > 0)).toBe(true);

      clock.set("2026-05-02T00:00:01Z");
      const results = await Promise.all(
        engines.flatMap((e) =>
          Array.from({ length: 30 }, () => e.reserve({ dimensions: dims, estimate: { inputTokens: 5 } })),
        ),
      );
      const allowed = results.filter((r) => r.status === "allowed");
      expect(allowed.length).toBeLessThanOrEqual(20);
      for (const r of allowed)
        if (r.status === "allowed")
          await engines[0]!.commit({ reservationId: r.reservationId, usage: { inputTokens: 5 } });
      const [today] = await engines[0]!.status({ budgetId: "hot" });
      expect([today?.used.tokens, today?.reserved.tokens]).toEqual([allowed.length * 5, 0]);
      for (const s of stores) await s.close();

      // Settled, the new window holds exactly what is left; the old one kept its 50 tokens.
      const plain = await openStore(schema);
      const checker = createBudgetEngine({ store: plain, catalog: createTestCatalog(), clock });
      const rest = 100 - allowed.length * 5;
      if (rest > 0) {
        const r = await checker.reserve({ dimensions: dims, estimate: { inputTokens: rest } });
        expect(r.status).toBe("allowed");
      }
      expect((await checker.reserve({ dimensions: dims, estimate: { inputTokens: 1 } })).status).toBe(
        "denied",
      );
      const counters = await plain.listCounters("hot");
      expect(counters.map((c) => c.used.tokens)).toEqual([50, allowed.length * 5]);
      await plain.close();
    }, 120_000);

    it("keeps cost, request and rolling limits of `each` partitions exact across two sliced instances", async () => {
      const schema = newSchema();
      const stores = [await openStore(schema, SLICES), await openStore(schema, SLICES)];
      const engines = stores.map((store) => createBudgetEngine({ store, catalog: createTestCatalog() }));
      // 1 input token of test-model costs 1000 nano-USD: 40 calls of 5 tokens fit $0.0002.
      await engines[0]!.upsertBudget({
        id: "per-worker",
        scope: { worker: { each: true } },
        limits: [
          { id: "cost", window: { type: "rolling", minutes: 60 }, cost: "0.0002", enforcement: "hard_limit" },
          { id: "calls", window: { type: "lifetime" }, requests: 50, enforcement: "hard_limit" },
        ],
      });
      const call = (e: (typeof engines)[number], worker: string) =>
        e.reserve({ dimensions: { ...dims, worker }, estimate: { inputTokens: 5 } });
      const results = await Promise.all(
        engines.flatMap((e) => ["w1", "w2"].flatMap((w) => Array.from({ length: 40 }, () => call(e, w)))),
      );
      const byWorker = (w: string) =>
        results.filter((r, i) => r.status === "allowed" && Math.floor(i / 40) % 2 === (w === "w1" ? 0 : 1));
      for (const w of ["w1", "w2"]) expect(byWorker(w).length).toBeLessThanOrEqual(40);
      for (const r of results)
        if (r.status === "allowed")
          await engines[0]!.commit({ reservationId: r.reservationId, usage: { inputTokens: 5 } });
      for (const s of stores) await s.close();

      const plain = await openStore(schema);
      const checker = createBudgetEngine({ store: plain, catalog: createTestCatalog() });
      expect((await checker.reconcile()).drift).toEqual([]);
      for (const w of ["w1", "w2"]) {
        const used = byWorker(w).length;
        const cost = (await checker.status({ budgetId: "per-worker" })).find(
          (x) => x.limitId === "cost" && x.partition === `worker=${w}`,
        );
        expect([cost?.used.costNanoUsd, cost?.reserved.costNanoUsd]).toEqual([BigInt(used * 5000), 0n]);
        // What is left of the partition can be reserved, and not a call more.
        for (let i = used; i < 40; i++) expect((await call(checker, w)).status).toBe("allowed");
        expect((await call(checker, w)).status).toBe("denied");
      }
      expectSettled(await rawCounters(schema));
      await plain.close();
    }, 120_000);

    it("keeps a rolling limit exact when sliced instances reserve and commit in turn", async () => {
      const schema = newSchema();
      const stores = [await openStore(schema, SLICES), await openStore(schema, SLICES)];
      const engines = stores.map((store) => createBudgetEngine({ store, catalog: createTestCatalog() }));
      await engines[0]!.upsertBudget({
        id: "r",
        limits: [
          { id: "t", window: { type: "rolling", minutes: 60 }, tokens: 1000, enforcement: "hard_limit" },
        ],
      });
      let allowed = 0;
      const loop = async (e: (typeof engines)[number]) => {
        for (let i = 0; i < 40; i++) {
          const r = await e.reserve({ dimensions: dims, estimate: { inputTokens: 15 } });
          if (r.status !== "allowed") continue;
          allowed += 1;
          await e.commit({ reservationId: r.reservationId, usage: { inputTokens: 15 } });
        }
      };
      await Promise.all(engines.flatMap((e) => [loop(e), loop(e)]));
      for (const s of stores) await s.close();
      expect(allowed).toBe(66); // 1000 / 15, every call that fits, none more
      const plain = await openStore(schema);
      const checker = createBudgetEngine({ store: plain, catalog: createTestCatalog() });
      expect((await checker.reconcile()).drift).toEqual([]);
      const [status] = await checker.status({ budgetId: "r" });
      expect([status?.used.tokens, status?.reserved.tokens]).toEqual([990, 0]);
      expect((await checker.reserve({ dimensions: dims, estimate: { inputTokens: 10 } })).status).toBe(
        "allowed",
      );
      expect((await checker.reserve({ dimensions: dims, estimate: { inputTokens: 1 } })).status).toBe(
        "denied",
      );
      await plain.close();
    }, 120_000);

    it("stops admissions at once when a limit is lowered below what is sliced", async () => {
      const schema = newSchema();
      const stores = [await openStore(schema, SLICES), await openStore(schema, SLICES)];
      const engines = stores.map((store) =>
        createBudgetEngine({ store, catalog: createTestCatalog(), budgetCacheMs: 0 }),
      );
      await engines[0]!.upsertBudget(hardBudget(10_000));
      for (const e of engines)
        for (let i = 0; i < 10; i++) {
          const r = await e.reserve({ dimensions: dims, estimate: { inputTokens: 10 } });
          if (r.status !== "allowed") throw new Error("denied before the change");
          await e.commit({ reservationId: r.reservationId, usage: { inputTokens: 10 } });
        }
      const before = await rawCounters(schema);
      const granted = before.reduce((s, r) => s + Number(r.grant_tokens), 0);
      expect(granted).toBeGreaterThan(0);

      await engines[0]!.upsertBudget(hardBudget(200));
      for (const e of engines)
        expect((await e.reserve({ dimensions: dims, estimate: { inputTokens: 1 } })).status).toBe("denied");
      // The denials gave the slices back: nothing is held beyond what was used.
      const after = await rawCounters(schema);
      expect(after.reduce((s, r) => s + Number(r.grant_tokens), 0)).toBe(0);
      const [status] = await engines[0]!.status({ budgetId: "hot" });
      expect([status?.used.tokens, status?.reserved.tokens]).toEqual([200, 0]);
      for (const s of stores) await s.close();
    }, 120_000);
  });
} else {
  describe.skip("slices on one PostgreSQL database (no server)", () => {
    it("needs PostgreSQL", () => {});
  });
}
