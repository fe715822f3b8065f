import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Budget, Scope } from "../budget/budget.js";
import { DIMENSIONS, type Dimensions } from "../budget/dimensions.js";
import { createBudgetIndex } from "./budget-index.js";
import { budgetMatches, compileBudget } from "./compiled-budget.js";

const budget = (id: string, scope: Scope, enabled = true): Budget => ({
  id,
  scope,
  limits: [{ id: "l", window: { type: "day" }, tokens: 10, enforcement: "hard_limit", thresholds: [1] }],
  timezone: "UTC",
  enabled,
  resetAt: null,
  createdAt: 0,
  updatedAt: 0,
});

// Few values per dimension, so scopes and calls collide often.
const value = fc.constantFrom("a", "b", "c");
// Scopes name at most three dimensions, so calls often match some budgets (checked below).
const scopeArb: fc.Arbitrary<Scope> = fc
  .tuple(
    fc.subarray([...DIMENSIONS], { maxLength: 3 }),
    fc.array(fc.oneof(value, value, fc.constant({ each: true as const })), { minLength: 3, maxLength: 3 }),
    fc.option(fc.uniqueArray(value, { maxLength: 2 }), { nil: undefined }),
  )
  .map(([dims, values, tags]) => ({
    ...Object.fromEntries(dims.map((d, i) => [d, values[i]])),
    ...(tags ? { tags } : {}),
  }));
const dimsArb: fc.Arbitrary<Dimensions> = fc
  .tuple(fc.subarray([...DIMENSIONS], { minLength: 6 }), fc.array(value, { minLength: 11, maxLength: 11 }))
  .chain(([dims, values]) =>
    fc.array(value, { maxLength: 3 }).map((tags) => ({
      ...Object.fromEntries(dims.map((d, i) => [d, values[i]])),
      tags,
    })),
  );

const ids = (list: { budget: Budget }[]) => list.map((b) => b.budget.id);

describe("budget index", () => {
  it("finds exactly the budgets a scan finds, in id order, after puts and removes", () => {
    let totalFound = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(scopeArb, fc.boolean()), { maxLength: 30 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.array(dimsArb, { minLength: 1, maxLength: 10 }),
        (scopes, removals, calls) => {
          let found = 0;
          const budgets = scopes.map(([scope, enabled], i) =>
            budget(`b${String(i).padStart(2, "0")}`, scope, enabled),
          );
          const index = createBudgetIndex(budgets);
          const kept = new Map(budgets.map((b) => [b.id, b]));
          for (const r of removals) {
            const id = budgets[r % Math.max(1, budgets.length)]?.id;
            if (id !== undefined) expect(index.remove(id)).toBe(kept.delete(id));
          }
          const scan = [...kept.values()].map(compileBudget);
          for (const dims of calls) {
            const matched = ids(index.match(dims, 0));
            expect(matched).toEqual(ids(scan.filter((b) => budgetMatches(b, dims))));
            found += matched.length;
          }
          expect(ids(index.all())).toEqual([...kept.keys()]);
          totalFound += found;
        },
      ),
    );
    expect(totalFound).toBeGreaterThan(100);
  });

  it("moves a budget whose scope changed to its new key", () => {
    const index = createBudgetIndex([budget("w", { run: "r1", worker: "w1" })]);
    expect(ids(index.match({ run: "r1", worker: "w1" }, 0))).toEqual(["w"]);
    index.put(budget("w", { run: "r2", worker: { each: true } }));
    expect(index.match({ run: "r1", worker: "w1" }, 0)).toEqual([]);
    expect(ids(index.match({ run: "r2", worker: "w9" }, 0))).toEqual(["w"]);
    index.put(budget("w", { run: "r2" }, false));
    expect(index.match({ run: "r2" }, 0)).toEqual([]);
    expect(index.get("w")?.budget.enabled).toBe(false);
    expect(index.size).toBe(1);
  });

  it("matches a budget only within its active period, and finds a run's budgets", () => {
    const index = createBudgetIndex([
      { ...budget("w", { run: "r1", task: "t1" }), activeFrom: 100, activeUntil: 200 },
      budget("x", { run: "r2" }),
    ]);
    const dims = { run: "r1", task: "t1" };
    expect(index.match(dims, 99)).toEqual([]);
    expect(ids(index.match(dims, 100))).toEqual(["w"]);
    expect(ids(index.match(dims, 199))).toEqual(["w"]);
    expect(index.match(dims, 200)).toEqual([]);
    expect(ids(index.withRun("r1"))).toEqual(["w"]);
    index.remove("w");
    expect(index.withRun("r1")).toEqual([]);
  });

  it("keeps an `each` budget one entry whatever the values seen", () => {
    const index = createBudgetIndex([budget("per-worker", { worker: { each: true } })]);
    for (const w of ["w1", "w2", "w3"]) expect(ids(index.match({ worker: w }, 0))).toEqual(["per-worker"]);
    expect(index.match({ run: "r" }, 0)).toEqual([]);
    expect(index.size).toBe(1);
  });
});
