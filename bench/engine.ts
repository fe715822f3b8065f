/**
 * In-process reserve+commit pairs per second on the in-memory store: the engine's own overhead,
 * with one budget of two limits matching every call.
 */
import { pathToFileURL } from "node:url";
import { createMemoryStore, createSequentialIds } from "@budget/core";
import { hotEngine, pairs } from "./pairs.js";

/** Measures reserve+commit pairs/s (sequential and with 32 in flight). */
export async function benchEngine(n = 50_000): Promise<Record<string, number>> {
  const make = () => hotEngine(createMemoryStore(), { ids: createSequentialIds() });
  await pairs([await make()], 5_000, 1); // warm-up
  const sequential = await pairs([await make()], n, 1);
  const concurrent = await pairs([await make()], n, 32);
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
