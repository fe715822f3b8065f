/**
 * Durable store throughput: reserve+commit pairs/s through the engine on SQLite (a temp file, WAL)
 * and PostgreSQL (1 and 3 instances on one hot budget), ledger ingest, and a by-model-by-day report
 * from the hourly rollups. `BENCH_EVENTS` sets the ingest size (default 100 000; 1 000 000 for the
 * full run); PostgreSQL parts are skipped when `BUDGET_TEST_PG_URL`'s server is unreachable.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BudgetEngine, createBudgetEngine, makeUsage, type Store, type UsageEvent } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { createPostgresStore, createSqliteStore, type PostgresStore } from "@budget/store";
import pg from "pg";

const PG_URL = process.env.BUDGET_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const dims = { provider: "test", model: "test-model", component: "bench" };

async function hotEngine(store: Store, upsert: boolean): Promise<BudgetEngine> {
  const engine = createBudgetEngine({ store, catalog: createTestCatalog(), budgetCacheMs: 60_000 });
  if (upsert)
    await engine.upsertBudget({
      id: "hot",
      scope: { component: "bench" },
      limits: [
        { id: "daily", window: { type: "day" }, tokens: 1e15 },
        { id: "monthly", window: { type: "month" }, cost: "1000000000" },
      ],
    });
  return engine;
}

/** Runs `n` reserve+commit pairs split over `concurrency` loops per engine; returns pairs/s. */
async function pairs(engines: BudgetEngine[], n: number, concurrency: number): Promise<number> {
  let next = 0;
  const worker = async (engine: BudgetEngine) => {
    while (next < n) {
      next += 1;
      const r = await engine.reserve({ dimensions: dims, estimate: { inputTokens: 500, outputTokens: 200 } });
      if (r.status !== "allowed") throw new Error(`denied: ${r.denial.message}`);
      await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 480, outputTokens: 120 } });
    }
  };
  const start = performance.now();
  await Promise.all(engines.flatMap((e) => Array.from({ length: concurrency }, () => worker(e))));
  return Math.round(n / ((performance.now() - start) / 1000));
}

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

async function sqliteBench(events: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "budget-bench-"));
  try {
    const store = await createSqliteStore({ file: join(dir, "bench.db") });
    const engine = await hotEngine(store, true);
    await pairs([engine], 2_000, 1); // warm-up
    const sqlitePairsPerSec = await pairs([engine], 20_000, 1);
    await store.close();

    const ledger = await createSqliteStore({ file: join(dir, "ledger.db") });
    const start = Date.UTC(2026, 0, 1);
    const t0 = performance.now();
    for (let i = 0; i < events; i++) await ledger.commit(syntheticEvent(i, start, 30 * 86_400_000), []);
    const ingestMs = performance.now() - t0;
    const t1 = performance.now();
    const rows = await ledger.rollupReport({
      from: start,
      to: start + 31 * 86_400_000,
      groupBy: ["model"],
      bucket: "day",
    });
    const reportMs = performance.now() - t1;
    if (rows.reduce((s, r) => s + r.events, 0) !== events)
      throw new Error("report does not cover every event");
    await ledger.close();
    return {
      sqlitePairsPerSec,
      sqliteIngestEvents: events,
      sqliteIngestMs: Math.round(ingestMs),
      sqliteIngestEventsPerSec: Math.round(events / (ingestMs / 1000)),
      sqliteReportByModelByDayMs: Math.round(reportMs * 10) / 10,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresBench(synchronousCommit: boolean): Promise<Record<string, number>> {
  const schema = `budget_bench_${process.pid}_${synchronousCommit ? "sync" : "async"}`;
  const open = () => createPostgresStore({ url: PG_URL, schema, poolSize: 8, synchronousCommit });
  const stores: PostgresStore[] = [await open()];
  try {
    const one = await hotEngine(stores[0]!, true);
    await pairs([one], 200, 8);
    const single = await pairs([one], 2_000, 8);
    stores.push(await open(), await open());
    const three = await Promise.all(stores.map((s, i) => (i === 0 ? one : hotEngine(s, false))));
    const triple = await pairs(three, 3_000, 8);
    const suffix = synchronousCommit ? "" : "AsyncCommit";
    return { [`pgPairsPerSec1Instance${suffix}`]: single, [`pgPairsPerSec3Instances${suffix}`]: triple };
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
  const out = await sqliteBench(events);
  if (await postgresReachable()) Object.assign(out, await postgresBench(true), await postgresBench(false));
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(await benchStore());
}
