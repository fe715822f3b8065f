/**
 * A separate process driving one store through the engine, for the multi-process proofs.
 * Usage: `node --import tsx proof-child.ts '<json ProofChildConfig>'`. Prints one JSON line per
 * acknowledged record (`{"ack":key}`) and a final `{"done":…}` line.
 */
import { createBudgetEngine, type Store } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { createPostgresStore } from "../postgres/postgres-store.js";
import type { SliceOptions } from "../shared/slice-options.js";
import { createSqliteStore } from "../sqlite/sqlite-store.js";

/** What the child does. */
export interface ProofChildConfig {
  target:
    | { kind: "sqlite"; file: string }
    | { kind: "postgres"; url: string; schema: string; slices?: SliceOptions };
  /**
   * `hammer`: reserve then commit `tokens` per attempt; `spend`: the same, acknowledging each
   * commit's event key (reservations held 1 s); `record`: record keys `from..from+count`.
   */
  mode: "hammer" | "spend" | "record";
  attempts: number;
  tokens?: number;
  from?: number;
  /** Concurrent loops inside the process. */
  concurrency?: number;
}

const config = JSON.parse(process.argv[2] ?? "{}") as ProofChildConfig;
const store: Store =
  config.target.kind === "sqlite"
    ? await createSqliteStore({ file: config.target.file, busyTimeoutMs: 30_000 })
    : await createPostgresStore({
        url: config.target.url,
        schema: config.target.schema,
        poolSize: 4,
        ...(config.target.slices ? { slices: config.target.slices } : {}),
      });
const engine = createBudgetEngine({ store, catalog: createTestCatalog(), budgetCacheMs: 60_000 });
const dimensions = { provider: "test", model: "test-model", component: "proof" };
const write = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);

let allowed = 0;
let denied = 0;
let next = 0;
async function loop(): Promise<void> {
  for (let i = next++; i < config.attempts; i = next++) {
    if (config.mode === "record") {
      const key = `rec-${(config.from ?? 0) + i}`;
      await engine.record({ dimensions, usage: { inputTokens: 1 + (i % 7) }, idempotencyKey: key });
      write({ ack: key });
      continue;
    }
    const tokens = config.tokens ?? 1;
    const spend = config.mode === "spend";
    const r = await engine.reserve({
      dimensions,
      estimate: { inputTokens: tokens },
      ...(spend ? { ttlMs: 1_000 } : {}),
    });
    if (r.status !== "allowed") {
      denied++;
      continue;
    }
    allowed++;
    const done = await engine.commit({ reservationId: r.reservationId, usage: { inputTokens: tokens } });
    if (spend) write({ ack: done.event.idempotencyKey });
  }
}
await Promise.all(Array.from({ length: config.concurrency ?? 1 }, loop));
write({ done: { allowed, denied } });
await store.close();
