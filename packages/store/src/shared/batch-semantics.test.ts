import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Store } from "@budget/core";
import { afterAll, describe, expect, it } from "vitest";
import type { PostgresStore } from "../postgres/postgres-store.js";
import { createSqliteStore } from "../sqlite/sqlite-store.js";
import { cappedHold, counterRef, reservationOf, usageEvent } from "../testing/fixtures.js";
import {
  createTestPostgresStore,
  destroyTestPostgresStore,
  postgresAvailable,
} from "../testing/postgres-test-db.js";

type IngestStore = Store & {
  ingestEvents(events: ReturnType<typeof usageEvent>[]): Promise<number>;
  rollupReport: PostgresStore["rollupReport"];
};

const dir = mkdtempSync(join(tmpdir(), "budget-batch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const targets: [string, () => Promise<IngestStore>, (s: IngestStore) => Promise<void>][] = [
  ["SQLite", () => createSqliteStore({ file: join(dir, `${Math.random()}.db`) }), (s) => s.close()],
];
if (await postgresAvailable())
  targets.push([
    "PostgreSQL",
    () => createTestPostgresStore(),
    (s) => destroyTestPostgresStore(s as PostgresStore),
  ]);

describe.each(targets)("group commit and ingest: %s", (_name, open, close) => {
  it("runs ops issued together as if one after another; a failing op leaves no trace", async () => {
    const store = await open();
    const ref = counterRef();
    const hold = (tokens: number) => cappedHold(ref, tokens, 100);
    const inc = { counter: ref, amounts: { tokens: 40, costNanoUsd: 400n, requests: 1 } };
    const results = await Promise.allSettled([
      store.reserve(reservationOf("r1", [hold(60)], "k1"), [hold(60)]),
      store.commit(usageEvent("bad", 5, { reservationId: "nope" }), [inc]),
      store.reserve(reservationOf("r2", [hold(50)]), [hold(50)]),
      store.reserve(reservationOf("r3", [hold(60)], "k1"), [hold(60)]),
      store.commit(usageEvent("e1", 40, { reservationId: "r1" }), [inc]),
      store.commit(usageEvent("e1", 40, { reservationId: "r1" }), [inc]),
      store.release("r1", "released"),
      store.reserve(reservationOf("r4", [hold(50)]), [hold(50)]),
    ]);
    const values = results.map((r) => (r.status === "fulfilled" ? r.value : r.reason));
    expect(values[0]).toMatchObject({ ok: true, duplicate: false });
    expect(values[1]).toMatchObject({ code: "reservation_not_active" });
    expect(values[2]).toMatchObject({ ok: false, failedHold: 0, current: { tokens: 60 } });
    expect(values[3]).toMatchObject({ ok: true, duplicate: true, reservation: { id: "r1" } });
    expect(values[4]).toMatchObject({
      status: "committed",
      counters: [{ used: { tokens: 40 }, reserved: { tokens: 0 } }],
    });
    expect(values[5]).toMatchObject({ status: "duplicate", counters: [] });
    expect(values[6]).toMatchObject({ id: "r1", status: "committed" });
    expect(values[7]).toMatchObject({ ok: true, duplicate: false });

    const [c] = await store.getCounters([ref.key]);
    expect(c?.used).toEqual({ tokens: 40, costNanoUsd: 400n, requests: 1 });
    expect(c?.reserved).toEqual({ tokens: 50, costNanoUsd: 500n, requests: 1 });
    expect(await store.getEventByIdempotencyKey("idem-bad")).toBeNull();
    expect(await store.getReservation("r2")).toBeNull();
    expect((await store.getReservation("r1"))?.status).toBe("committed");
    expect((await store.listEvents({})).events.map((e) => e.id)).toEqual(["e1"]);
    await close(store);
  });

  it("ingests a ledger once per idempotency key, with rollups, without touching counters", async () => {
    const store = await open();
    const hour = 3_600_000;
    const events = Array.from({ length: 30 }, (_, i) =>
      usageEvent(`i${i}`, 10, { time: (i % 3) * hour, model: i % 2 ? "a" : "b" }),
    );
    expect(await store.ingestEvents(events)).toBe(30);
    expect(await store.ingestEvents([...events.slice(0, 10), usageEvent("i99", 5)])).toBe(1);
    const rows = await store.rollupReport({ from: 0, to: 3 * hour, groupBy: ["model"], bucket: "day" });
    expect(rows.map((r) => [r.dimensions.model, r.events, r.tokens])).toEqual([
      ["a", 15, 150],
      ["b", 15, 150],
      ["gpt-4o", 1, 5],
    ]);
    expect(await store.listCounters()).toEqual([]);
    await close(store);
  });
});
