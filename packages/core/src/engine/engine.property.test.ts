import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createManualClock } from "../ports/clock.js";
import { createSequentialIds } from "../ports/ids.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createTestCatalog } from "../testing/fixtures.js";
import { totalTokens } from "../usage/usage.js";
import { createBudgetEngine } from "./engine.js";

type Op =
  | { kind: "reserve"; worker: number; tokens: number }
  | { kind: "commit"; pick: number; fraction: number }
  | { kind: "release"; pick: number }
  | { kind: "tick"; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("reserve" as const),
      worker: fc.integer({ min: 0, max: 2 }),
      tokens: fc.integer({ min: 1, max: 400 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("commit" as const),
      pick: fc.nat(),
      fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 3_600_000 }) }),
  },
);

describe("engine invariants (property)", () => {
  it("hard limits hold at all times, release restores exactly, counters equal the ledger", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 25 }),
        async (batches) => {
          const clock = createManualClock("2026-05-01T00:00:00Z");
          const store = createMemoryStore();
          const engine = createBudgetEngine({
            store,
            catalog: createTestCatalog(),
            clock,
            ids: createSequentialIds(),
            budgetCacheMs: 0,
          });
          await engine.upsertBudget({
            id: "run",
            limits: [
              { id: "tokens", window: { type: "day" }, tokens: 2000 },
              { id: "cost", window: { type: "lifetime" }, cost: "0.003" },
            ],
          });
          await engine.upsertBudget({
            id: "worker",
            scope: { worker: { each: true } },
            limits: [{ id: "tokens", window: { type: "rolling", minutes: 60 }, tokens: 900 }],
          });
          const active: { id: string; tokens: number }[] = [];
          for (const batch of batches) {
            // Each batch runs concurrently, interleaving the engine's awaits.
            await Promise.all(
              batch.map(async (op) => {
                if (op.kind === "tick") return clock.advance(op.ms);
                if (op.kind === "reserve") {
                  const r = await engine.reserve({
                    dimensions: { provider: "test", model: "test-model", worker: `w${op.worker}` },
                    estimate: { inputTokens: op.tokens },
                    ttlMs: 86_400_000,
                  });
                  if (r.status === "allowed") active.push({ id: r.reservationId, tokens: op.tokens });
                  return;
                }
                const i = active.length ? op.pick % active.length : -1;
                const target = active.splice(i, 1)[0];
                if (!target) return;
                if (op.kind === "release") await engine.release(target.id);
                else
                  await engine.commit({
                    reservationId: target.id,
                    usage: { inputTokens: Math.floor(target.tokens * op.fraction) },
                  });
              }),
            );
            for (const s of await engine.status()) {
              if (s.limit.tokens !== undefined)
                expect(s.used.tokens + s.reserved.tokens).toBeLessThanOrEqual(s.limit.tokens);
              if (s.limit.costNanoUsd !== undefined) {
                expect(s.used.costNanoUsd + s.reserved.costNanoUsd <= s.limit.costNanoUsd).toBe(true);
              }
            }
          }
          // Reserved equals exactly what the active reservations hold.
          const held = active.reduce((sum, r) => sum + r.tokens, 0);
          const lifetime = (await engine.status({ budgetId: "run" })).find((s) => s.limitId === "cost");
          expect(lifetime?.reserved.tokens).toBe(held);
          for (const r of active.splice(0)) await engine.release(r.id);
          for (const c of await store.listCounters())
            expect(c.reserved).toEqual({ tokens: 0, costNanoUsd: 0n, requests: 0 });
          // The counters are the ledger's sums.
          const events = (await store.listEvents({ limit: 10_000 })).events;
          expect(lifetime?.used.tokens).toBe(events.reduce((s, e) => s + totalTokens(e.usage), 0));
          expect((await engine.reconcile()).drift).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
