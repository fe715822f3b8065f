/**
 * In-process reserve+commit pairs per second on the in-memory store: the engine's own overhead,
 * with one budget of two limits matching every call.
 */
import { pathToFileURL } from "node:url";
import { type BudgetEngine, createBudgetEngine, createMemoryStore, createSequentialIds } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";

async function pairs(engine: BudgetEngine, n: number, concurrency: number): Promise<number> {
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
  await Promise.all(Array.from({ length: concurrency }, worker));
  return n / ((performance.now() - start) / 1000);
}

/** Measures reserve+commit pairs/s (sequential and with 32 in flight). */
export async function benchEngine(
  n = 50_000,
): Promise<{ sequentialPerSec: number; concurrentPerSec: number }> {
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
  const sequentialPerSec = await pairs(await make(), n, 1);
  const concurrentPerSec = await pairs(await make(), n, 32);
  return { sequentialPerSec, concurrentPerSec };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(await benchEngine());
}
