/**
 * One hot budget vs. independent budgets on PostgreSQL, with 1 and 3 instances (stores, each with
 * its own pool and group commit, in this process), slices off and on (ADR 0010): reserve+commit
 * pairs/s through the engine, 64 in flight per instance. "Hot": every instance's calls match one
 * budget; "independent": instance i's calls match only budget i (same limits, same load), the
 * figure a hot budget would reach if it cost nothing to share.
 *
 * `tsx bench/slices.ts`; skipped when `BUDGET_TEST_PG_URL`'s server is unreachable.
 */
import { pathToFileURL } from "node:url";
import { createPostgresStore, type PostgresStore } from "@budget/store";
import pg from "pg";
import { BENCH_LIMITS, hotEngine, pairs } from "./pairs.js";

const PG_URL = process.env.BUDGET_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const PAIRS_PER_INSTANCE = Number(process.env.BENCH_SLICE_PAIRS ?? 3_000);

async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
}

/** Pairs/s of `instances` stores on a fresh schema, calls on one hot budget or one budget each. */
async function run(instances: number, hot: boolean, slices: boolean): Promise<number> {
  const schema = `budget_bench_slices_${process.pid}_${instances}_${hot ? "hot" : "ind"}_${slices ? "s" : "d"}`;
  const stores: PostgresStore[] = [];
  try {
    for (let i = 0; i < instances; i++)
      stores.push(
        await createPostgresStore({
          url: PG_URL,
          schema,
          poolSize: 8,
          ...(slices ? { slices: { enabled: true } } : {}),
        }),
      );
    const engines = await Promise.all(stores.map((s, i) => hotEngine(s, { upsert: i === 0 })));
    if (!hot)
      for (const [i, e] of engines.entries())
        await e.upsertBudget({ id: `own-${i}`, scope: { component: `bench-${i}` }, limits: BENCH_LIMITS });
    const dims = (i: number) => ({
      provider: "test",
      model: "test-model",
      component: hot ? "bench" : `bench-${i}`,
    });
    await pairs(engines, 500 * instances, CONCURRENCY, dims);
    return (await pairs(engines, PAIRS_PER_INSTANCE * instances, CONCURRENCY, dims)).wall;
  } finally {
    for (const s of stores) await s.close();
    await dropSchema(schema);
  }
}

/** Every figure, by name; ratios computed from the same run. */
export async function benchSlices(): Promise<Record<string, number>> {
  const out: Record<string, number> = { concurrency: CONCURRENCY };
  for (const slices of [false, true]) {
    const tag = slices ? "Slices" : "Direct";
    const hot1 = await run(1, true, slices);
    const hot3 = await run(3, true, slices);
    const ind3 = await run(3, false, slices);
    Object.assign(out, {
      [`hot1${tag}`]: hot1,
      [`hot3${tag}`]: hot3,
      [`independent3${tag}`]: ind3,
      [`hot3OverIndependent3${tag}`]: Math.round((hot3 / ind3) * 100) / 100,
      [`hot3OverHot1${tag}`]: Math.round((hot3 / hot1) * 100) / 100,
    });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) console.log(await benchSlices());
