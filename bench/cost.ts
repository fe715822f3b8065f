import { pathToFileURL } from "node:url";
import { computeCost, type Usage } from "@budget/core";
import { createBundledCatalog, loadBundledPrices } from "@budget/prices";
import { calcPrice, type Usage as GenaiUsage } from "@pydantic/genai-prices";
import { generateOracleCases, toGenaiUsage } from "../packages/prices/src/oracle/oracle-cases.js";

/** Throughput of cost calculation: Budget versus genai-prices' `calcPrice`, same inputs, same run. */
export interface CostBenchResult {
  oursPerSec: number;
  calcPricePerSec: number;
  ratio: number;
  inputs: number;
}

interface Input {
  provider: string;
  model: string;
  at: number;
  usage: Usage;
  genaiUsage: GenaiUsage;
  timestamp: Date;
}

const INPUTS = 1000;
const ROUNDS = 5;

function inputs(): Input[] {
  const cases = generateOracleCases(loadBundledPrices().versions);
  // Every n-th case: spread across providers and features.
  const step = Math.max(1, Math.floor(cases.length / INPUTS));
  return cases
    .filter((_, i) => i % step === 0)
    .slice(0, INPUTS)
    .map((c) => ({
      provider: c.version.provider,
      model: c.version.model,
      at: c.at,
      usage: c.usage,
      genaiUsage: toGenaiUsage(c.usage),
      timestamp: new Date(c.at),
    }));
}

function perSecond(rounds: number, n: number, run: () => void): number {
  run(); // warm up (JIT, caches)
  run();
  const start = performance.now();
  for (let r = 0; r < rounds; r++) run();
  const seconds = (performance.now() - start) / 1000;
  return (rounds * n) / seconds;
}

/**
 * Measures cost calculations per second on the same ~1000 (provider, model, usage, instant)
 * inputs. Both sides include model lookup: ours is `catalog.resolve` (name → effective version)
 * plus `computeCost` with its exact breakdown; theirs is `calcPrice` (provider and model match,
 * price selection, float cost).
 */
export async function benchCost(): Promise<CostBenchResult> {
  const list = inputs();
  const catalog = createBundledCatalog();
  let sink = 0n;
  const oursPerSec = perSecond(ROUNDS * 4, list.length, () => {
    for (const x of list) {
      const version = catalog.resolve({ provider: x.provider, model: x.model, at: x.at });
      if (version) sink += computeCost(version, x.usage).costNanoUsd;
    }
  });
  let floatSink = 0;
  const calcPricePerSec = perSecond(ROUNDS, list.length, () => {
    for (const x of list) {
      const res = calcPrice(x.genaiUsage, x.model, { providerId: x.provider, timestamp: x.timestamp });
      if (res) floatSink += res.total_price;
    }
  });
  if (sink < 0n || floatSink < 0) throw new Error("unreachable: keeps results alive");
  return { oursPerSec, calcPricePerSec, ratio: oursPerSec / calcPricePerSec, inputs: list.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchCost();
  console.log(`inputs:                 ${r.inputs}`);
  console.log(`ours (resolve + cost):  ${Math.round(r.oursPerSec).toLocaleString("en-US")} /s`);
  console.log(`genai-prices calcPrice: ${Math.round(r.calcPricePerSec).toLocaleString("en-US")} /s`);
  console.log(`ratio:                  ${r.ratio.toFixed(1)}×`);
}
