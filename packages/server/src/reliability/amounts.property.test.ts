import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createBudgetEngine,
  createManualClock,
  createMemoryKeyStore,
  createMemoryStore,
  type Store,
} from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { createSqliteStore } from "@budget/store/sqlite";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";

const dir = mkdtempSync(join(tmpdir(), "budget-amounts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bounds at their largest: four maximal events fill a counter to its ceiling. */
const MAX_COST = "1152921504";
const MAX_TOKENS = Math.floor(Number.MAX_SAFE_INTEGER / 4);

const tokenArb = fc.oneof(
  fc.constantFrom(0, 1, MAX_TOKENS, MAX_TOKENS + 1, Number.MAX_SAFE_INTEGER, 2 ** 53, -1, 1.5, 1e308),
  fc.nat(),
);
const costArb = fc.option(
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(MAX_COST) },
    fc.constantFrom(`${MAX_COST}.000000001`, "9223372036.854775808", "0", "1", "1e3", "-1"),
    fc.stringMatching(/^\d{1,60}(\.\d{1,12})?$/),
  ),
  { nil: undefined, freq: 4 },
);
const randomOp = fc.record({
  kind: fc.constantFrom("record", "reserve-commit"),
  inputTokens: tokenArb,
  outputTokens: tokenArb,
  costUsd: costArb,
});
/** Mostly maximal events: enough of them fill a counter to its ceiling within one sequence. */
const opArb = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constantFrom("record", "reserve-commit"),
      inputTokens: fc.constant(0),
      outputTokens: fc.constant(0),
      costUsd: fc.constant(MAX_COST),
    }),
  },
  { weight: 4, arbitrary: randomOp },
);

const stores: [string, () => Promise<Store>][] = [
  ["memory", async () => createMemoryStore()],
  ["SQLite", () => createSqliteStore({ file: join(dir, `${Math.random()}.db`) })],
];

describe.each(stores)("amounts at the bounds over HTTP (%s)", (_name, open) => {
  it("never answers 5xx, loses no accepted event, and a refused one changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 12, maxLength: 30 }), async (ops) => {
        const store = await open();
        const engine = createBudgetEngine({
          store,
          catalog: createTestCatalog(),
          clock: createManualClock("2026-05-01T00:00:00Z"),
          amountBounds: {
            maxEventCostUsd: MAX_COST,
            maxLimitCostUsd: MAX_COST,
            maxEventTokens: MAX_TOKENS,
            maxLimitTokens: MAX_TOKENS,
          },
        });
        const auth = createAuth(createMemoryKeyStore());
        const { key } = await auth.createKey({ name: "w", role: "writer" });
        const app = createBudgetApp({ engine, keys: auth });
        await engine.upsertBudget({
          id: "org",
          limits: [{ id: "all", window: { type: "lifetime" }, cost: MAX_COST, enforcement: "warn" }],
        });
        const post = async (path: string, body: unknown) => {
          const res = await app.fetch(
            new Request(`http://x${path}`, {
              method: "POST",
              headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
              body: JSON.stringify(body),
            }),
          );
          expect(res.status, `${path} ${JSON.stringify(body)}`).toBeLessThan(500);
          return { status: res.status, body: (await res.json()) as Record<string, unknown> };
        };
        let accepted = 0;
        let costNano = 0n;
        const dimensions = { component: "c", model: "test-model" };
        for (const op of ops) {
          const usage = { inputTokens: op.inputTokens, outputTokens: op.outputTokens };
          const cost = op.costUsd !== undefined ? { costUsd: op.costUsd } : {};
          let res: { status: number; body: Record<string, unknown> };
          if (op.kind === "record") res = await post("/v1/usage", { dimensions, usage, ...cost });
          else {
            const r = await post("/v1/reservations", { dimensions, estimate: usage, ...cost });
            if (r.status !== 200 || r.body.status !== "allowed") continue;
            res = await post(`/v1/reservations/${String(r.body.reservationId)}/commit`, { usage, ...cost });
            if (res.status >= 400) await post(`/v1/reservations/${String(r.body.reservationId)}/release`, {});
          }
          if (res.status < 300) {
            accepted += 1;
            const event = res.body.event as { costUsd: string };
            costNano += BigInt(event.costUsd.replace(".", ""));
          } else expect(["invalid_input", "amount_too_large", "counter_overflow"]).toContain(res.body.code);
        }
        const events = await store.listEvents({ limit: 1000 });
        expect(events.events).toHaveLength(accepted);
        const counters = await store.listCounters("org");
        expect(counters.reduce((s, c) => s + c.used.costNanoUsd, 0n)).toBe(costNano);
        expect(counters.every((c) => c.reserved.costNanoUsd === 0n && c.reserved.tokens === 0)).toBe(true);
        app.close();
        await store.close();
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
