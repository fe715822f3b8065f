/**
 * Durable store throughput: reserve+commit pairs/s through the engine on SQLite (a temp file, WAL)
 * and PostgreSQL (1 and 3 instances on one hot budget), bulk ledger ingest (`ingestEvents`), and a
 * by-model-by-day report from the hourly rollups. `BENCH_EVENTS` sets the ingest size (default
 * 100 000; 1 000 000 for the full run); PostgreSQL parts are skipped when `BUDGET_TEST_PG_URL`'s
 * server is unreachable. Baselines measured in the same run (the machine may be shared): the engine
 * on the in-memory store, raw better-sqlite3 autocommit inserts/s, raw `pg` `SELECT 1` round trips/s.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createMemoryStore, makeUsage, type Store, type UsageEvent } from "@budget/core";
import { createPostgresStore, createSqliteStore, type PostgresStore } from "@budget/store";
import Database from "better-sqlite3";
import pg from "pg";
import { hotEngine, pairs } from "./pairs.js";

const PG_URL = process.env.BUDGET_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const MODELS = [
  "gpt-4o",
  "gpt-4o-mini",
  "claude-sonnet-4",
  "claude-haiku-4",
  "gemini-2.5-pro",
  "gemini-2.5-flash",
];

function syntheticEvent(i: number, start: number, spanMs: number): UsageEvent {
  return {
    id: `ev-${i}`,
    kind: "usage",
    time: start + (Math.floor((i * spanMs) / 1_000_000) % spanMs),
    dimensions: {
      provider: "p",
      model: MODELS[i % MODELS.length]!,
      component: `c${i % 3}`,
      project: `p${i % 4}`,
    },
    usage: makeUsage({ inputTokens: 100 + (i % 50), outputTokens: 20 + (i % 10) }),
    costNanoUsd: BigInt(1000 + (i % 97)),
    priceVersionId: "test:test-model:1",
    pricing: "priced",
    reservationId: null,
    idempotencyKey: `ik-${i}`,
  };
}

/** Requests in flight per engine: a service handles many at once; 1 is the latency-bound case. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const INGEST_CHUNK = 10_000;

async function memoryBaseline(): Promise<Record<string, number>> {
  const engine = await hotEngine(createMemoryStore());
  await pairs([engine], 2_000, 1);
  return {
    baselineMemoryPairsPerSec1: (await pairs([engine], 10_000, 1)).wall,
    baselineMemoryPairsPerSec: (await pairs([engine], 10_000, CONCURRENCY)).wall,
  };
}

/** Raw better-sqlite3: one-row autocommit inserts/s into a WAL file (synchronous=NORMAL). */
function sqliteBaseline(dir: string): number {
  const db = new Database(join(dir, "raw.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
  const n = 10_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) insert.run(`v${i}`);
  const perSec = Math.round(n / ((performance.now() - t0) / 1000));
  db.close();
  return perSec;
}

async function sqliteBench(events: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "budget-bench-"));
  try {
    const baselineSqliteAutocommitInsertsPerSec = sqliteBaseline(dir);
    const store = await createSqliteStore({ file: join(dir, "bench.db") });
    const engine = await hotEngine(store);
    await pairs([engine], 2_000, CONCURRENCY); // warm-up
    const sqlitePairsPerSec1 = (await pairs([engine], 5_000, 1)).wall;
    const sqlitePairsPerSec = (await pairs([engine], 20_000, CONCURRENCY)).wall;
    await store.close();

    const ledger = await createSqliteStore({ file: join(dir, "ledger.db") });
    const start = Date.UTC(2026, 0, 1);
    let ingestMs = 0;
    for (let i = 0; i < events; i += INGEST_CHUNK) {
      const chunk = Array.from({ length: Math.min(INGEST_CHUNK, events - i) }, (_, j) =>
        syntheticEvent(i + j, start, 30 * 86_400_000),
      );
      const t0 = performance.now();
      await ledger.ingestEvents(chunk);
      ingestMs += performance.now() - t0;
    }
    const reportMs = await timeReport(ledger, start, events);
    await ledger.close();
    return {
      baselineSqliteAutocommitInsertsPerSec,
      sqlitePairsPerSec1,
      sqlitePairsPerSec,
      sqliteIngestEvents: events,
      sqliteIngestMs: Math.round(ingestMs),
      sqliteIngestEventsPerSec: Math.round(events / (ingestMs / 1000)),
      sqliteReportByModelByDayMs: reportMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Best of 3 runs of the by-model-by-day report over the whole ingested month, in ms. */
async function timeReport(store: Store & { rollupReport: SqliteReport }, start: number, events: number) {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const rows = await store.rollupReport({
      from: start,
      to: start + 31 * 86_400_000,
      groupBy: ["model"],
      bucket: "day",
    });
    best = Math.min(best, performance.now() - t0);
    if (rows.reduce((s, r) => s + r.events, 0) !== events)
      throw new Error("report does not cover every event");
  }
  return Math.round(best * 10) / 10;
}

type SqliteReport = PostgresStore["rollupReport"];

/** Raw `pg`: sequential `SELECT 1` round trips/s on one connection. */
async function postgresBaseline(): Promise<number> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    for (let i = 0; i < 200; i++) await c.query("SELECT 1");
    const n = 3_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await c.query("SELECT 1");
    return Math.round(n / ((performance.now() - t0) / 1000));
  } finally {
    await c.end();
  }
}

async function postgresBench(synchronousCommit: boolean, events: number): Promise<Record<string, number>> {
  const schema = `budget_bench_${process.pid}_${synchronousCommit ? "sync" : "async"}`;
  const open = () => createPostgresStore({ url: PG_URL, schema, poolSize: 8, synchronousCommit });
  const stores: PostgresStore[] = [await open()];
  const suffix = synchronousCommit ? "" : "AsyncCommit";
  try {
    const one = await hotEngine(stores[0]!);
    await pairs([one], 1_000, CONCURRENCY);
    const single = (await pairs([one], 10_000, CONCURRENCY)).wall;
    stores.push(await open(), await open());
    const three = await Promise.all(stores.map((s, i) => (i === 0 ? one : hotEngine(s, { upsert: false }))));
    const triple = (await pairs(three, 15_000, CONCURRENCY)).wall;
    const out: Record<string, number> = {
      [`pgPairsPerSec1Instance${suffix}`]: single,
      [`pgPairsPerSec3Instances${suffix}`]: triple,
    };
    if (synchronousCommit && events > 0) {
      const start = Date.UTC(2026, 0, 1);
      let ingestMs = 0;
      for (let i = 0; i < events; i += INGEST_CHUNK) {
        const chunk = Array.from({ length: Math.min(INGEST_CHUNK, events - i) }, (_, j) =>
          syntheticEvent(i + j, start, 30 * 86_400_000),
        );
        const t0 = performance.now();
        await stores[0]!.ingestEvents(chunk);
        ingestMs += performance.now() - t0;
      }
      out.pgIngestEvents = events;
      out.pgIngestEventsPerSec = Math.round(events / (ingestMs / 1000));
      out.pgReportByModelByDayMs = await timeReport(stores[0]!, start, events);
    }
    return out;
  } finally {
    for (const s of stores) await s.close();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  }
}

async function postgresReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

/** Measures the store numbers listed above; returns them by name. */
export async function benchStore(): Promise<Record<string, number>> {
  const events = Number(process.env.BENCH_EVENTS ?? 100_000);
  const pgEvents = Number(process.env.BENCH_PG_EVENTS ?? 100_000);
  const out: Record<string, number> = { concurrency: CONCURRENCY, ...(await memoryBaseline()) };
  if (process.env.BENCH_SKIP_SQLITE !== "1") Object.assign(out, await sqliteBench(events));
  if (await postgresReachable())
    Object.assign(
      out,
      { baselinePgSelect1PerSec: await postgresBaseline() },
      await postgresBench(true, pgEvents),
      await postgresBench(false, 0),
    );
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(await benchStore());
}
