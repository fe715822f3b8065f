import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBudgetEngine, createManualClock, isBudgetError } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cappedHold, counterRef, reservationOf, usageEvent } from "../testing/fixtures.js";
import { createSqliteStore, type SqliteStore } from "./sqlite-store.js";

let dir: string;
let store: SqliteStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "budget-sqlite-"));
  store = await createSqliteStore({ file: join(dir, "nested", "budget.db"), busyTimeoutMs: 200 });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("SqliteStore", () => {
  it("reserves within the cap, denies past it, and settles a commit exactly", async () => {
    const ref = counterRef();
    const first = await store.reserve(reservationOf("r1", [cappedHold(ref, 60, 100)]), [
      cappedHold(ref, 60, 100),
    ]);
    expect(first.ok).toBe(true);
    const second = await store.reserve(reservationOf("r2", [cappedHold(ref, 50, 100)]), [
      cappedHold(ref, 50, 100),
    ]);
    expect(second).toEqual({
      ok: false,
      failedHold: 0,
      current: { tokens: 60, costNanoUsd: 600n, requests: 1 },
    });

    const inc = { counter: ref, amounts: { tokens: 40, costNanoUsd: 400n, requests: 1 } };
    const done = await store.commit(usageEvent("e1", 40, { reservationId: "r1" }), [inc]);
    expect(done.status).toBe("committed");
    expect(done.counters[0]?.used).toEqual({ tokens: 40, costNanoUsd: 400n, requests: 1 });
    expect(done.counters[0]?.reserved).toEqual({ tokens: 0, costNanoUsd: 0n, requests: 0 });
    expect((await store.getReservation("r1"))?.status).toBe("committed");

    const again = await store.commit(usageEvent("e1", 40, { reservationId: "r1" }), [inc]);
    expect(again.status).toBe("duplicate");
    expect(again.event.costNanoUsd).toBe(400n);
    await expect(store.commit(usageEvent("e2", 1, { reservationId: "r1" }), [inc])).rejects.toMatchObject({
      code: "reservation_not_active",
    });
    // The failed commit left nothing behind.
    expect(await store.getEventByIdempotencyKey("idem-e2")).toBeNull();
    expect((await store.getCounters([ref.key]))[0]?.used.tokens).toBe(40);
  });

  it("sees a reservation another connection settled, though it remembers writing it active", async () => {
    const ref = counterRef();
    const hold = cappedHold(ref, 10, 100);
    const inc = { counter: ref, amounts: { tokens: 10, costNanoUsd: 100n, requests: 1 } };
    await store.reserve(reservationOf("r1", [hold]), [hold]);
    await store.reserve(reservationOf("r2", [hold]), [hold]);
    const other = await createSqliteStore({ file: store.options.file });
    try {
      expect((await other.release("r1", "released"))?.status).toBe("released");
    } finally {
      await other.close();
    }
    await expect(store.commit(usageEvent("e1", 10, { reservationId: "r1" }), [inc])).rejects.toMatchObject({
      code: "reservation_not_active",
    });
    // r2, untouched by the other connection, still commits, and the holds add up.
    expect((await store.commit(usageEvent("e2", 10, { reservationId: "r2" }), [inc])).status).toBe(
      "committed",
    );
    const [c] = await store.getCounters([ref.key]);
    expect(c?.used.tokens).toBe(10);
    expect(c?.reserved.tokens).toBe(0);
  });

  it("returns a reservation with a known idempotency key as a duplicate and releases once", async () => {
    const ref = counterRef();
    const hold = cappedHold(ref, 10, 100);
    await store.reserve(reservationOf("r1", [hold], "k1"), [hold]);
    const dup = await store.reserve(reservationOf("r9", [hold], "k1"), [hold]);
    expect(dup).toMatchObject({ ok: true, duplicate: true, reservation: { id: "r1" } });
    expect((await store.getCounters([ref.key]))[0]?.reserved.tokens).toBe(10);
    expect((await store.release("r1", "released"))?.status).toBe("released");
    expect((await store.release("r1", "expired"))?.status).toBe("released");
    expect((await store.getCounters([ref.key]))[0]?.reserved).toEqual({
      tokens: 0,
      costNanoUsd: 0n,
      requests: 0,
    });
  });

  it("pages the ledger by (time, id), filters by dimensions and tags, and reports from rollups", async () => {
    for (let i = 0; i < 25; i++) {
      const e = usageEvent(`e${String(i).padStart(2, "0")}`, 100, {
        time: i * 3_600_000,
        model: i % 2 ? "a" : "b",
      });
      if (i % 5 === 0) e.dimensions.tags = ["x", "y"];
      await store.commit(e, []);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<SqliteStore["listEvents"]>> = await store.listEvents({
        limit: 7,
        ...(cursor ? { cursor } : {}),
      });
      seen.push(...page.events.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect((await store.listEvents({ dimensions: { model: "a" } })).events).toHaveLength(12);
    expect((await store.listEvents({ dimensions: { tags: ["y"] } })).events.map((e) => e.id)).toEqual([
      "e00",
      "e05",
      "e10",
      "e15",
      "e20",
    ]);

    const report = await store.rollupReport({
      from: 0,
      to: 48 * 3_600_000,
      groupBy: ["model"],
      bucket: "day",
    });
    expect(report).toEqual([
      {
        bucketStart: 0,
        dimensions: { model: "a" },
        tokens: 1200,
        costNanoUsd: 12000n,
        requests: 12,
        events: 12,
      },
      {
        bucketStart: 0,
        dimensions: { model: "b" },
        tokens: 1200,
        costNanoUsd: 12000n,
        requests: 12,
        events: 12,
      },
      {
        bucketStart: 86_400_000,
        dimensions: { model: "b" },
        tokens: 100,
        costNanoUsd: 1000n,
        requests: 1,
        events: 1,
      },
    ]);
    // Paris is UTC+1 in January: its first day ends at 23:00 UTC.
    const paris = await store.rollupReport({
      from: 0,
      to: 48 * 3_600_000,
      groupBy: [],
      bucket: "day",
      timezone: "Europe/Paris",
    });
    expect(paris.map((r) => [r.bucketStart, r.events])).toEqual([
      [-3_600_000, 23],
      [82_800_000, 2],
    ]);

    expect(await store.pruneEvents(10 * 3_600_000)).toBe(10);
    expect((await store.listEvents({ limit: 100 })).events).toHaveLength(15);
    const after = await store.rollupReport({ from: 0, to: 48 * 3_600_000, groupBy: [], bucket: "month" });
    expect(after).toEqual([
      { bucketStart: 0, dimensions: {}, tokens: 2500, costNanoUsd: 25000n, requests: 25, events: 25 },
    ]);
  });

  it("checkpoints on a background thread: the database file takes the WAL's pages by itself", async () => {
    const size = () => statSync(store.options.file).size;
    const raw = new Database(store.options.file);
    try {
      expect(raw.pragma("wal_autocheckpoint", { simple: true })).toBe(1000); // a new connection's default
    } finally {
      raw.close();
    }
    const before = size();
    const events = Array.from({ length: 3000 }, (_, i) => usageEvent(`e${i}`, 1, { time: i * 60_000 }));
    expect(await store.ingestEvents(events)).toBe(3000);
    await vi.waitFor(() => expect(size()).toBeGreaterThan(before + 500_000), { timeout: 5000 });
  });

  it("refuses a database written by a newer schema with store_schema_mismatch", async () => {
    const file = store.options.file;
    await store.close();
    const raw = new Database(file);
    raw.prepare("INSERT INTO kysely_migration (name, timestamp) VALUES ('9999_future', 'x')").run();
    raw.close();
    await expect(createSqliteStore({ file })).rejects.toMatchObject({ code: "store_schema_mismatch" });
    store = await createSqliteStore({ file: join(dir, "other.db") });
  });

  it("reports a file locked past the busy timeout as store_unavailable", async () => {
    const holder = new Database(store.options.file);
    holder.exec("BEGIN IMMEDIATE");
    try {
      const err = await store.commit(usageEvent("e1", 1), []).catch((e: unknown) => e);
      expect(isBudgetError(err, "store_unavailable")).toBe(true);
      expect(String((err as Error).message)).toMatch(/locked/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect((await store.commit(usageEvent("e1", 1), [])).status).toBe("committed");
  });
});

describe("SQLite: an hourly rollup past 64 bits", () => {
  it("is counter_overflow and rolled back, never a silent float", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "budget-rollup-")), "r.db");
    const store = await createSqliteStore({ file });
    const engine = createBudgetEngine({
      store,
      catalog: createTestCatalog(),
      clock: createManualClock("2026-05-01T00:00:00Z"),
    });
    const dims = { component: "c", model: "test-model" };
    await engine.record({ dimensions: dims, usage: { inputTokens: 1 } });
    const raw = new Database(file);
    raw.prepare("UPDATE rollups_hourly SET cost_nano = 9223372036854775000").run();
    raw.close();
    const err = await engine.record({ dimensions: dims, usage: {}, costUsd: "1" }).catch((e: unknown) => e);
    expect(isBudgetError(err, "counter_overflow")).toBe(true);
    expect((await store.listEvents({})).events).toHaveLength(1);
    await store.close();
  });
});
