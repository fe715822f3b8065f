/**
 * Reservations ahead of settlements (the SQLite store's group commit, `urgent`): the gateway's
 * pattern in one process — 50 callers each reserving, holding the call 20 ms, then committing on
 * `setImmediate` — against the same store with every op in one arrival-ordered queue. Both take
 * turns over 16 rounds; reports each one's reserve latency p50/p99 and CPU per call, callers
 * starting at once and spread over 20 ms. `tsx --conditions=@budget/source bench/reserve-ahead.ts`.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BatchOp, type BudgetEngine, createBudgetEngine, type Settled } from "@budget/core";
import { createBundledCatalog } from "@budget/prices";
import { createSqliteStore } from "@budget/store/sqlite";
import { createGroupCommit, type GroupCommit } from "../packages/store/src/shared/group-commit.js";

/** The store's internals this bench swaps: its group commit, and what runs a batch. */
interface Internals {
  batches: GroupCommit<BatchOp>;
  checkpointer: unknown;
  startCheckpoints(): unknown;
  atomic: { runBatch(ops: readonly BatchOp[]): Settled[] };
}

async function engineWith(urgent: boolean): Promise<BudgetEngine> {
  const store = await createSqliteStore({
    file: join(mkdtempSync(join(tmpdir(), "reserve-ahead-")), "b.db"),
  });
  const s = store as unknown as Internals;
  s.batches = createGroupCommit<BatchOp>({
    runBatch: (ops) => {
      s.checkpointer ??= s.startCheckpoints();
      return s.atomic.runBatch(ops);
    },
    ...(urgent ? { urgent: (op: BatchOp) => op.kind === "reserve" } : {}),
  });
  const engine = createBudgetEngine({ store, catalog: createBundledCatalog() });
  await engine.upsertBudget({
    id: "b",
    limits: [{ id: "m", window: { type: "month" }, cost: "1000000000" }],
  });
  return engine;
}

const dimensions = { provider: "openai", model: "gpt-4o", component: "bench" };

async function round(engine: BudgetEngine, spreadMs: number, latencies: number[]): Promise<void> {
  const callers = 50;
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      if (spreadMs) await new Promise((r) => setTimeout(r, (c * spreadMs) / callers));
      for (let i = 0; i < 10; i++) {
        const started = performance.now();
        const r = await engine.reserve({ dimensions, estimate: { inputTokens: 20, outputTokens: 200 } });
        latencies.push(performance.now() - started);
        if (r.status !== "allowed") throw new Error("denied");
        await new Promise((done) => setTimeout(done, 20));
        const usage = { inputTokens: 20, outputTokens: 5 };
        setImmediate(() => void engine.commit({ reservationId: r.reservationId, usage }));
      }
    }),
  );
}

const engines = { queued: await engineWith(false), ahead: await engineWith(true) };
for (const spreadMs of [0, 20]) {
  const runs = {
    queued: { latencies: [] as number[], cpuMs: 0 },
    ahead: { latencies: [] as number[], cpuMs: 0 },
  };
  for (let r = 0; r < 16; r++)
    for (const k of r % 2 ? (["queued", "ahead"] as const) : (["ahead", "queued"] as const)) {
      const cpu0 = process.cpuUsage();
      await round(engines[k], spreadMs, runs[k].latencies);
      const cpu = process.cpuUsage(cpu0);
      runs[k].cpuMs += (cpu.user + cpu.system) / 1000;
    }
  for (const [k, v] of Object.entries(runs)) {
    const sorted = v.latencies.sort((a, b) => a - b);
    const p = (q: number) => (sorted[Math.ceil(q * sorted.length) - 1] ?? 0).toFixed(2);
    const perCall = (v.cpuMs / sorted.length).toFixed(3);
    console.log(
      `spread ${spreadMs} ms, ${k}: reserve p50 ${p(0.5)} / p99 ${p(0.99)} ms, CPU ${perCall} ms a call`,
    );
  }
}
process.exit(0);
