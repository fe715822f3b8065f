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
const MEASURE_MS = Number(process.env.BENCH_BUDGETS_MS ?? 3_000);
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

/** Pairs/s over `MEASURE_MS` of wall time, `concurrency` loops in flight. */
async function pairsFor(engine: BudgetEngine, concurrency: number, ms = MEASURE_MS): Promise<number> {
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
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Math.round(done / ((performance.now() - t0) / 1000));
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const heap = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

let fileCount = 0;

async function measure(impl: Impl, kind: "memory" | "sqlite", n: number, dir: string) {
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
  const bytesPerBudget = kind === "sqlite" ? Math.round((heap() - before) / n) : null;
  const perSec = await pairsFor(engine, kind === "memory" ? 1 : 32);
  await store.close();
  return { perSec, bytesPerBudget };
}

/** Runs every size on both stores, for the current code and the baseline when given. */
export async function benchBudgets(): Promise<Record<string, number | string>> {
  const baselineDir = process.env.BENCH_BASELINE_DIR ?? null;
  const impls = [await loadImpl("new", null), ...(baselineDir ? [await loadImpl("old", baselineDir)] : [])];
  const dir = mkdtempSync(join(tmpdir(), "budget-bench-budgets-"));
  const out: Record<string, number | string> = {};
  try {
    for (const kind of ["memory", "sqlite"] as const)
      for (const n of SIZES)
        for (const impl of impls) {
          if (impl.label === "old" && n > BASELINE_MAX) continue;
          process.stderr.write(`  ${impl.label} ${kind} ${n} budgets…\n`);
          const r = await measure(impl, kind, n, dir);
          out[`${impl.label}_${kind}_${n}_pairsPerSec`] = r.perSec;
          if (r.bytesPerBudget !== null && n >= 1_000)
            out[`${impl.label}_engineHeapBytesPerBudget_${n}`] = r.bytesPerBudget;
        }
    for (const impl of impls)
      for (const kind of ["memory", "sqlite"] as const) {
        const one = out[`${impl.label}_${kind}_1_pairsPerSec`] as number;
        const max = impl.label === "old" ? BASELINE_MAX : SIZES[SIZES.length - 1]!;
        const atMax = out[`${impl.label}_${kind}_${max}_pairsPerSec`] as number;
        out[`${impl.label}_${kind}_ratio_${max}_to_1`] = Math.round((atMax / one) * 100) / 100;
      }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(await benchBudgets());
}
