/**
 * Traffic-shaping limits on the hot path: reserve+commit pairs/s on the in-memory and SQLite
 * stores with the bench's hot budget as it is (plain), with a concurrency limit on its daily limit
 * (one more capped hold per reservation, never reached), and with its daily limit made a rolling
 * 24-hour window (held on its running sum, recomputed from its 61 buckets as one ages out). The
 * cases run interleaved, three rounds each, and the median is kept; each ratio is to the plain case
 * of the same store in the same run, of wall time and of CPU time (pairs per CPU second: steadier
 * on a shared machine).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BudgetInput, createMemoryStore, type Limit, type Store } from "@budget/core";
import { createSqliteStore } from "@budget/store";
import { hotEngine, pairs } from "./pairs.js";

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const ROUNDS = 3;

const monthly: Limit = {
  id: "monthly",
  window: { type: "month" },
  cost: "1000000000",
  enforcement: "hard_limit",
  thresholds: [0.5, 0.8, 1],
};
const daily = (extra: Partial<Limit>): Limit => ({
  id: "daily",
  window: { type: "day" },
  tokens: 1e15,
  enforcement: "hard_limit",
  thresholds: [0.5, 0.8, 1],
  ...extra,
});
const CASES: Record<string, BudgetInput> = {
  plain: { id: "hot", scope: { component: "bench" }, limits: [daily({}), monthly] },
  concurrency: {
    id: "hot",
    scope: { component: "bench" },
    limits: [daily({ concurrency: 10_000 }), monthly],
  },
  rolling: {
    id: "hot",
    scope: { component: "bench" },
    limits: [daily({ window: { type: "rolling", minutes: 1440 } }), monthly],
  },
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Each case's median pairs/s of wall time and of this process's CPU time (steadier under load). */
async function measure(make: () => Promise<Store>, n: number) {
  const engines = await Promise.all(
    Object.entries(CASES).map(async ([name, budget]) => {
      const engine = await hotEngine(await make(), { upsert: false });
      await engine.upsertBudget(budget);
      await pairs([engine], Math.min(2_000, n), CONCURRENCY); // warm-up
      return { name, engine };
    }),
  );
  const runs = new Map<string, { wall: number; cpu: number }[]>();
  for (let round = 0; round < ROUNDS; round += 1)
    for (const { name, engine } of engines) {
      const list = runs.get(name) ?? [];
      list.push(await pairs([engine], n, CONCURRENCY));
      runs.set(name, list);
    }
  for (const { engine } of engines) await engine.store.close();
  const of = (f: "wall" | "cpu") =>
    Object.fromEntries([...runs].map(([name, list]) => [name, median(list.map((r) => r[f]))]));
  return { wall: of("wall"), cpu: of("cpu") };
}

/** Pairs/s of each case per store, and each case's ratio to the plain case of its store. */
export async function benchShaping(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const dir = mkdtempSync(join(tmpdir(), "budget-bench-shaping-"));
  let file = 0;
  try {
    const stores: [string, () => Promise<Store>, number][] = [
      ["memory", async () => createMemoryStore(), 20_000],
      [
        "sqlite",
        async () => {
          file += 1;
          return createSqliteStore({ file: join(dir, `b${file}.db`) });
        },
        5_000,
      ],
    ];
    for (const [store, make, n] of stores) {
      const { wall, cpu } = await measure(make, n);
      for (const [name, value] of Object.entries(wall)) out[`${store}.${name}.pairsPerSec`] = value;
      const ratio = (r: Record<string, number>, name: string) =>
        Math.round((r[name]! / r.plain!) * 100) / 100;
      for (const name of ["concurrency", "rolling"]) {
        out[`${store}.${name}.ratioToPlain`] = ratio(wall, name);
        out[`${store}.${name}.cpuRatioToPlain`] = ratio(cpu, name);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
