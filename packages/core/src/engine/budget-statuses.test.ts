import { describe, expect, it } from "vitest";
import { createManualClock } from "../ports/clock.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createTestCatalog } from "../testing/fixtures.js";
import { createBudgetEngine } from "./engine.js";

describe("budgetStatuses: a Budgets screen's page", () => {
  it("filters by search, scope dimension, enforcement and state, sorts, pages, and counts every open budget", async () => {
    const clock = createManualClock("2026-04-01T09:00:00Z");
    const e = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog(), clock });
    const day = (tokens: number, enforcement: "warn" | "hard_limit" = "warn") => [
      { id: "day", window: { type: "day" as const }, tokens, enforcement },
    ];
    // After 100 tokens of project p: a 50 %, b 125 %, c 90 %, d 10 %; w is per worker (no usage yet).
    await e.upsertBudget({ id: "a", name: "Alpha", scope: { project: "p" }, limits: day(200) });
    await e.upsertBudget({ id: "b", name: "Beta", scope: { project: "p" }, limits: day(80, "hard_limit") });
    await e.upsertBudget({ id: "c", name: "Gamma", description: "the nightly eval", limits: day(111) });
    await e.upsertBudget({ id: "d", name: "Delta", scope: { project: "p" }, limits: day(1000) });
    await e.upsertBudget({ id: "w", scope: { worker: { each: true } }, limits: day(10) });
    await e.upsertBudget({ id: "f", scope: { project: "p" }, limits: day(10), activeUntil: clock.now() });
    await e.record({
      dimensions: { provider: "test", model: "test-model", project: "p" },
      usage: { inputTokens: 100 },
    });
    const ids = async (q: Parameters<typeof e.budgetStatuses>[0]) =>
      (await e.budgetStatuses(q)).items.map((i) => i.budget.id);

    const all = await e.budgetStatuses();
    expect(all.items.map((i) => [i.budget.id, i.utilization])).toEqual([
      ["b", 1.25],
      ["c", 100 / 111],
      ["a", 0.5],
      ["d", 0.1],
      ["w", 0],
    ]);
    expect(all.total).toBe(5);
    expect(all.counts).toMatchObject({ budgets: 5, limits: 4, over: 1, near: 1, within: 2 });
    // Its definition and its rows travel together; an `each` budget without usage has no row yet.
    expect(all.items[0]).toMatchObject({ budget: { id: "b", name: "Beta" }, limits: [{ limitId: "day" }] });
    expect(all.items[4]?.limits).toEqual([]);

    expect(await ids({ search: "ALP" })).toEqual(["a"]);
    expect(await ids({ search: "nightly" })).toEqual(["c"]);
    expect(await ids({ dimension: "project" })).toEqual(["b", "a", "d"]);
    expect(await ids({ dimension: "worker" })).toEqual(["w"]);
    expect(await ids({ enforcement: "hard_limit" })).toEqual(["b"]);
    expect(await ids({ state: "over" })).toEqual(["b"]);
    expect(await ids({ state: "near" })).toEqual(["c"]);
    expect(await ids({ state: "within", dimension: "project" })).toEqual(["a", "d"]);
    expect(await ids({ order: "name" })).toEqual(["a", "b", "d", "c", "w"]);
    expect(await ids({ order: "id", offset: 1, limit: 2 })).toEqual(["b", "c"]);
    const page = await e.budgetStatuses({ state: "within", offset: 1, limit: 1 });
    expect([page.items.map((i) => i.budget.id), page.total, page.offset]).toEqual([["d"], 3, 1]);
    // The counts stay those of every open budget, whatever the filter.
    expect(page.counts).toEqual(all.counts);
    await expect(e.budgetStatuses({ state: "warn" } as never)).rejects.toMatchObject({
      code: "invalid_input",
    });
    await expect(e.budgetStatuses({ limit: 0 })).rejects.toMatchObject({ code: "invalid_input" });
  });
});

describe("budgetStatuses: rows only for the page, the same as every budget's full status", () => {
  it("pages, sorts, filters and counts as the full status rows of every budget would", async () => {
    const clock = createManualClock("2026-04-01T09:00:00Z");
    const e = createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog(), clock });
    const windows = [
      { type: "day" as const },
      { type: "month" as const },
      { type: "rolling" as const, minutes: 90 },
      { type: "lifetime" as const },
    ];
    // Per-project budgets of several windows and sizes (ties included), per-worker `each` ones with
    // an override, a concurrency limit, a reset budget and a disabled one.
    for (let i = 0; i < 24; i++)
      await e.upsertBudget({
        id: `b${String(i).padStart(2, "0")}`,
        name: `Budget ${i % 5}`,
        scope: { project: `p${i % 3}` },
        limits: [
          { id: "w", window: windows[i % 4]!, tokens: 100 + (i % 4) * 50, enforcement: "warn" },
          ...(i % 5 === 0 ? [{ id: "c", window: { type: "hour" as const }, cost: "0.0002" }] : []),
        ],
        ...(i === 7 ? { enabled: false } : {}),
        ...(i % 6 === 1 ? { timezone: "America/New_York" } : {}),
      });
    await e.upsertBudget({
      id: "each",
      scope: { worker: { each: true } },
      limits: [{ id: "day", window: { type: "day" }, tokens: 100, concurrency: 3 }],
      overrides: [{ match: { worker: "w2" }, limits: { day: { tokens: 400 } } }],
    });
    for (const [project, worker, tokens] of [
      ["p0", "w1", 90],
      ["p1", "w2", 130],
      ["p2", "w1", 40],
      ["p0", "w3", 60],
    ] as const) {
      await e.record({
        dimensions: { provider: "test", model: "test-model", project, worker },
        usage: { inputTokens: tokens },
      });
      clock.advance(20 * 60_000);
    }
    await e.resetBudget("b04");
    await e.reserve({
      dimensions: { provider: "test", model: "test-model", project: "p1", worker: "w2" },
      estimate: { inputTokens: 10 },
    });
    clock.advance(5 * 60_000);

    // The reference: every budget's full rows, filtered and sorted as the page promises.
    const rows = await e.status();
    const key = (r: (typeof rows)[number]) => `${r.budgetId}|${r.limitId}|${r.partition}`;
    const byUse = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
      b.utilization - a.utilization || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
    const summary = await e.statusSummary({ top: 1000 });
    const budgets = (await e.listBudgets()).filter((b) => b.activeUntil === undefined);
    const collator = new Intl.Collator();
    const reference = budgets.map((budget) => {
      const limits = rows.filter((r) => r.budgetId === budget.id);
      limits.sort(byUse);
      const resets = limits.flatMap((l) => (l.resetsAt === null ? [] : [l.resetsAt]));
      return {
        budget,
        limits,
        utilization: limits[0]?.utilization ?? 0,
        resetsAt: resets.length > 0 ? Math.min(...resets) : null,
      };
    });
    const byId = (a: { budget: { id: string } }, b: { budget: { id: string } }) =>
      a.budget.id < b.budget.id ? -1 : a.budget.id > b.budget.id ? 1 : 0;
    const orders = {
      utilization: (a: (typeof reference)[number], b: (typeof reference)[number]) =>
        b.utilization - a.utilization,
      reset: (a: (typeof reference)[number], b: (typeof reference)[number]) =>
        (a.resetsAt ?? Infinity) - (b.resetsAt ?? Infinity),
      name: (a: (typeof reference)[number], b: (typeof reference)[number]) =>
        collator.compare(a.budget.name ?? a.budget.id, b.budget.name ?? b.budget.id),
      id: () => 0,
    };
    const stateOf = (u: number) => (u >= 1 ? "over" : u >= 0.8 ? "near" : "within");
    expect(new Set(reference.map((r) => stateOf(r.utilization)))).toEqual(
      new Set(["over", "near", "within"]),
    );
    for (const order of ["utilization", "reset", "name", "id"] as const)
      for (const state of [undefined, "over", "near", "within"] as const)
        for (const [offset, limit] of [
          [0, 5],
          [3, 7],
          [0, 100],
        ] as const) {
          const want = reference
            .filter((r) => state === undefined || stateOf(r.utilization) === state)
            .sort((a, b) => orders[order](a, b) || byId(a, b));
          const page = await e.budgetStatuses({ order, offset, limit, ...(state ? { state } : {}) });
          expect(page.total).toBe(want.length);
          expect(page.items).toEqual(want.slice(offset, offset + limit));
          expect(page.counts).toEqual(summary.counts);
        }
    expect(summary.top).toEqual([...rows].sort(byUse));
  });
});
