/**
 * Many budgets: reserve+commit pairs/s with 1, 1 000, 10 000 and 100 000 budgets stored, of which
 * two match every call (a team budget and the call's run budget; with 1 budget, that one), on the
 * in-memory store (sequential) and SQLite (32 in flight), and the engine's heap per budget held.
 * The other budgets are what an organisation accumulates: per-run, per-worker (`each`) and per-user
 * budgets naming other values. With `BENCH_BASELINE_DIR` (a checkout of older code, prepared by
 * `bench/baseline-checkout.sh`) the same loop runs against that code in the same process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Budget, BudgetEngine, Store } from "@budget/core";

/** What the bench needs of a code base (the current one, or the baseline checkout). */
interface Impl {
  label: string;
  createBudgetEngine: typeof import("@budget/core").createBudgetEngine;
  createMemoryStore: () => Store;
  createSequentialIds: typeof import("@budget/core").createSequentialIds;
  createTestCatalog: typeof import("@budget/core/testing").createTestCatalog;
  createSqliteStore: (o: { file: string }) => Promise<Store>;
}

async function loadImpl(label: string, root: string | null): Promise<Impl> {
  const at = (p: string) => (root ? pathToFileURL(join(root, p)).href : null);
  const core = (await import(
    at("packages/core/src/index.ts") ?? "@budget/core"
  )) as typeof import("@budget/core");
  const testing = (await import(
    at("packages/core/src/testing/index.ts") ?? "@budget/core/testing"
  )) as typeof import("@budget/core/testing");
  const store = (await import(
    at("packages/store/src/index.ts") ?? "@budget/store"
  )) as typeof import("@budget/store");
  return {
    label,
    createBudgetEngine: core.createBudgetEngine,
    createMemoryStore: core.createMemoryStore,
    createSequentialIds: core.createSequentialIds,
    createTestCatalog: testing.createTestCatalog,
    createSqliteStore: store.createSqliteStore as unknown as Impl["createSqliteStore"],
  };
}

const SIZES = (process.env.BENCH_BUDGETS_SIZES ?? "1,1000,10000,100000").split(",").map(Number);
/** The baseline scans every budget per call and reloads all each second: 100 000 would take minutes. */
const BASELINE_MAX = 10_000;
/** Each setup runs this long per round, over this many rounds (medians reported). */
const MEASURE_MS = Number(process.env.BENCH_BUDGETS_MS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_BUDGETS_ROUNDS ?? 5);
const dims = { provider: "test", model: "test-model", component: "bench", run: "hot", worker: "w1" };

const limit = (id: string, window: Budget["limits"][number]["window"], tokens: number) => ({
  id,
  window,
  tokens,
  enforcement: "hard_limit" as const,
  thresholds: [0.5, 0.8, 1],
});
const budget = (id: string, scope: Budget["scope"], limits: Budget["limits"]): Budget => ({
  id,
  scope,
  limits,
  timezone: "UTC",
  enabled: true,
  resetAt: null,
  createdAt: 0,
  updatedAt: 0,
});

/** The `i`-th budget of a store holding `n`: the last two match the bench call. */
function budgetAt(i: number, n: number): Budget {
  if (i === n - 1) return budget("team", { component: "bench" }, [limit("daily", { type: "day" }, 1e15)]);
  if (i === n - 2) return budget("run:hot", { run: "hot" }, [limit("life", { type: "lifetime" }, 1e15)]);
  const life = [limit("life", { type: "lifetime" }, 1e9)];
  switch (i % 3) {
    case 0:
      return budget(`run:r${i}`, { run: `r${i}` }, life);
    case 1:
      return budget(`run:r${i - 1}:worker`, { run: `r${i - 1}`, worker: { each: true } }, life);
    default:
      return budget(`user:u${i}`, { user: `u${i}` }, [limit("daily", { type: "day" }, 1e9)]);
  }
}

async function fill(store: Store, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await store.putBudget(budgetAt(i, n));
}

/** Pairs/s over `ms`, `concurrency` loops in flight: per second of wall time and of this process's CPU. */
async function pairsFor(engine: BudgetEngine, concurrency: number, ms: number) {
  let done = 0;
  const until = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < until) {
      const r = await engine.reserve({ dimensions: dims, estimate: { inputTokens: 500, outputTokens: 200 } });
      if (r.status !== "allowed") throw new Error(`denied: ${r.denial.message}`);
      await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 480, outputTokens: 120 } });
      done += 1;
    }
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { wall: done / ((performance.now() - t0) / 1000), cpu: done / ((cpu.user + cpu.system) / 1e6) };
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

interface Setup {
  name: string;
  engine: BudgetEngine;
  store: Store;
  bytesPerBudget: number | null;
  wall: number[];
  cpu: number[];
}

let fileCount = 0;

/** A store holding `n` budgets and a warm engine over it (the engine's heap per budget on SQLite). */
async function setUp(impl: Impl, kind: "memory" | "sqlite", n: number, dir: string): Promise<Setup> {
  fileCount += 1;
  const store =
    kind === "memory"
      ? impl.createMemoryStore()
      : await impl.createSqliteStore({ file: join(dir, `${impl.label}-${n}-${fileCount}.db`) });
  await fill(store, n);
  const engine = impl.createBudgetEngine({
    store,
    catalog: impl.createTestCatalog(),
    ids: impl.createSequentialIds(),
  });
  const before = heap();
  await pairsFor(engine, 1, 300); // loads the budgets, warms up
  const bytesPerBudget = kind === "sqlite" && n >= 1_000 ? Math.round((heap() - before) / n) : null;
  return { name: `${impl.label}_${kind}_${n}`, engine, store, bytesPerBudget, wall: [], cpu: [] };
}

/**
 * Runs every size on both stores, for the current code and the baseline when given: the setups of
 * one store kind take turns over `ROUNDS` rounds and each reports its medians, so a machine whose
 * speed drifts skews no size more than another.
 */
export async function benchBudgets(): Promise<Record<string, number | string>> {
  const baselineDir = process.env.BENCH_BASELINE_DIR ?? null;
  const impls = [await loadImpl("new", null), ...(baselineDir ? [await loadImpl("old", baselineDir)] : [])];
  const dir = mkdtempSync(join(tmpdir(), "budget-bench-budgets-"));
  const out: Record<string, number | string> = {};
  try {
    for (const kind of ["memory", "sqlite"] as const) {
      const setups: Setup[] = [];
      for (const n of SIZES)
        for (const impl of impls) {
          if (impl.label === "old" && n > BASELINE_MAX) continue;
          process.stderr.write(`  ${impl.label} ${kind}: ${n} budgets…\n`);
          setups.push(await setUp(impl, kind, n, dir));
        }
      for (let round = 0; round < ROUNDS; round++)
        for (const s of setups) {
          const r = await pairsFor(s.engine, kind === "memory" ? 1 : 32, MEASURE_MS);
          s.wall.push(r.wall);
          s.cpu.push(r.cpu);
        }
      for (const s of setups) {
        out[`${s.name}_pairsPerSec`] = Math.round(median(s.wall));
        out[`${s.name}_pairsPerCpuSec`] = Math.round(median(s.cpu));
        if (s.bytesPerBudget !== null) out[`${s.name}_engineHeapBytesPerBudget`] = s.bytesPerBudget;
        await s.store.close();
      }
      for (const impl of impls) {
        const max = impl.label === "old" ? Math.min(BASELINE_MAX, SIZES.at(-1)!) : SIZES.at(-1)!;
        for (const unit of ["pairsPerSec", "pairsPerCpuSec"]) {
          const one = out[`${impl.label}_${kind}_${SIZES[0]}_${unit}`] as number;
          const atMax = out[`${impl.label}_${kind}_${max}_${unit}`] as number;
          out[`${impl.label}_${kind}_${unit}_ratio_${max}_to_${SIZES[0]}`] =
            Math.round((atMax / one) * 100) / 100;
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(await benchBudgets());
}
