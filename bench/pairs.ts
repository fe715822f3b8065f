/** The reserve+commit loop every throughput bench runs, and the hot budget it runs against. */
import {
  type BudgetEngine,
  createBudgetEngine,
  type Dimensions,
  type IdSource,
  type Store,
} from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";

const dims = { provider: "test", model: "test-model", component: "bench" };

/** The bench budget's limits: hard limits, never reached. */
export const BENCH_LIMITS = [
  { id: "daily", window: { type: "day" as const }, tokens: 1e15 },
  { id: "monthly", window: { type: "month" as const }, cost: "1000000000" },
];

/** An engine over `store` whose one budget (two limits, never reached) matches every bench call. */
export async function hotEngine(store: Store, options: { upsert?: boolean; ids?: IdSource } = {}) {
  const engine = createBudgetEngine({
    store,
    catalog: createTestCatalog(),
    budgetCacheMs: 60_000,
    ...(options.ids ? { ids: options.ids } : {}),
  });
  if (options.upsert ?? true)
    await engine.upsertBudget({
      id: "hot",
      scope: { component: "bench" },
      limits: BENCH_LIMITS,
    });
  return engine;
}

/**
 * Runs `n` reserve+commit pairs over `concurrency` loops per engine; returns pairs per second of
 * wall time and per second of this process's CPU time (steadier on a shared machine).
 */
export async function pairs(
  engines: BudgetEngine[],
  n: number,
  concurrency: number,
  /** The dimensions of engine `i`'s calls (default: the hot budget's, for every engine). */
  dimensionsOf: (i: number) => Dimensions = () => dims,
): Promise<{ wall: number; cpu: number }> {
  let next = 0;
  const worker = async (engine: BudgetEngine, dimensions: Dimensions) => {
    while (next < n) {
      next += 1;
      const r = await engine.reserve({ dimensions, estimate: { inputTokens: 500, outputTokens: 200 } });
      if (r.status !== "allowed") throw new Error(`denied: ${r.denial.message}`);
      await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 480, outputTokens: 120 } });
    }
  };
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    engines.flatMap((e, i) => Array.from({ length: concurrency }, () => worker(e, dimensionsOf(i)))),
  );
  const cpu = process.cpuUsage(cpu0);
  return {
    wall: Math.round(n / ((performance.now() - start) / 1000)),
    cpu: Math.round(n / ((cpu.user + cpu.system) / 1e6)),
  };
}
