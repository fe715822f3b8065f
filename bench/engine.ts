/**
 * In-process reserve+commit pairs per second on the in-memory store: the engine's own overhead,
 * with one budget of two limits matching every call.
 */
import { pathToFileURL } from "node:url";
import { type BudgetEngine, createBudgetEngine, createMemoryStore, createSequentialIds } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";

/** Pairs per second of wall time, and per second of this process's CPU time (steadier on a shared machine). */
async function pairs(
  engine: BudgetEngine,
  n: number,
  concurrency: number,
): Promise<{ wall: number; cpu: number }> {
  const dims = { provider: "test", model: "test-model", component: "bench" };
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next += 1;
      const r = await engine.reserve({ dimensions: dims, estimate: { inputTokens: 500, outputTokens: 200 } });
      if (r.status !== "allowed") throw new Error(`denied: ${r.denial.message}`);
      await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: 480, outputTokens: 120 } });
    }
  };
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const cpu = process.cpuUsage(cpu0);
  return { wall: n / ((performance.now() - start) / 1000), cpu: n / ((cpu.user + cpu.system) / 1e6) };
}

/** Measures reserve+commit pairs/s (sequential and with 32 in flight). */
export async function benchEngine(n = 50_000): Promise<Record<string, number>> {
  const make = async () => {
    const engine = createBudgetEngine({
      store: createMemoryStore(),
      catalog: createTestCatalog(),
      ids: createSequentialIds(),
    });
    await engine.upsertBudget({
      id: "bench",
      scope: { component: "bench" },
      limits: [
        { id: "daily", window: { type: "day" }, tokens: 1e15 },
        { id: "monthly", window: { type: "month" }, cost: "1000000000" },
      ],
    });
    return engine;
  };
  await pairs(await make(), 5_000, 1); // warm-up
  const sequential = await pairs(await make(), n, 1);
  const concurrent = await pairs(await make(), n, 32);
  return {
    sequentialPairsPerSec: sequential.wall,
    sequentialPairsPerCpuSec: sequential.cpu,
    concurrentPairsPerSec: concurrent.wall,
    concurrentPairsPerCpuSec: concurrent.cpu,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(await benchEngine());
}
