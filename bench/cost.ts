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
const ROUNDS = 9;

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

/** Calls per second of one timed run of `run` over `n` inputs. */
function perSecond(n: number, run: () => void): number {
  const start = performance.now();
  run();
  return n / ((performance.now() - start) / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Measures cost calculations per second on the same ~1000 (provider, model, usage, instant)
 * inputs. Both sides include model lookup: ours is `catalog.resolve` (name → effective version)
 * plus `computeCost` with its exact breakdown; theirs is `calcPrice` (provider and model match,
 * price selection, float cost). The two alternate over `ROUNDS` rounds (after a warm-up), so a
 * change in the machine's speed hits both; the figures are the medians, the ratio the median of
 * the per-round ratios.
 */
export async function benchCost(): Promise<CostBenchResult> {
  const list = inputs();
  const catalog = createBundledCatalog();
  let sink = 0n;
  let floatSink = 0;
  const ours = () => {
    for (const x of list) {
      const version = catalog.resolve({ provider: x.provider, model: x.model, at: x.at });
      if (version) sink += computeCost(version, x.usage).costNanoUsd;
    }
  };
  const theirs = () => {
    for (const x of list) {
      const res = calcPrice(x.genaiUsage, x.model, { providerId: x.provider, timestamp: x.timestamp });
      if (res) floatSink += res.total_price;
    }
  };
  // Warm up (JIT, caches).
  for (let i = 0; i < 3; i++) {
    ours();
    theirs();
  }
  const rounds: { ours: number; theirs: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let o = 0;
    for (let i = 0; i < 4; i++) o += perSecond(list.length, ours) / 4; // ours is faster: more runs
    rounds.push({ ours: o, theirs: perSecond(list.length, theirs) });
  }
  if (sink < 0n || floatSink < 0) throw new Error("unreachable: keeps results alive");
  return {
    oursPerSec: median(rounds.map((r) => r.ours)),
    calcPricePerSec: median(rounds.map((r) => r.theirs)),
    ratio: median(rounds.map((r) => r.ours / r.theirs)),
    inputs: list.length,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = await benchCost();
  console.log(`inputs:                 ${r.inputs}`);
  console.log(`ours (resolve + cost):  ${Math.round(r.oursPerSec).toLocaleString("en-US")} /s`);
  console.log(`genai-prices calcPrice: ${Math.round(r.calcPricePerSec).toLocaleString("en-US")} /s`);
  console.log(`ratio:                  ${r.ratio.toFixed(1)}×`);
}
