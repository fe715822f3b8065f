import { describe, expect, it } from "vitest";
import type { Budget, LimitStatus } from "../../api/types.js";
import { expandedByDefault, filterBudgets, groupBudgets, pageOf, stateOf } from "./budget-list.js";

const budget = (id: string, extra: Partial<Budget> = {}): Budget =>
  ({ id, name: id, scope: {}, limits: [], enabled: true, timezone: "UTC", ...extra }) as unknown as Budget;
const status = (budgetId: string, utilization: number, extra: Partial<LimitStatus> = {}): LimitStatus =>
  ({
    budgetId,
    budgetName: budgetId,
    limitId: "l",
    partition: "",
    enforcement: "hard_limit",
    utilization,
    resetsAt: null,
    ...extra,
  }) as unknown as LimitStatus;

/** 5,000 budgets, as an organisation with one per run, worker and task has. */
function seed() {
  const budgets: Budget[] = [];
  const statuses: LimitStatus[] = [];
  for (let i = 0; i < 5000; i++) {
    const id = `${i % 3 === 0 ? "run" : i % 3 === 1 ? "worker" : "task"}-${i}`;
    const dim = id.split("-")[0] as string;
    budgets.push(budget(id, { scope: { [dim]: `v${i}` } as Budget["scope"] }));
    statuses.push(
      status(id, (i % 100) / 80, {
        enforcement: i % 2 ? "warn" : "hard_limit",
        resetsAt: 1_000_000 + ((i * 7919) % 5000),
      }),
    );
  }
  return groupBudgets(statuses, budgets);
}

describe("Budgets page at scale", () => {
  it("groups limits per budget and keeps budgets without a status row", () => {
    const groups = groupBudgets(
      [status("a", 0.5, { resetsAt: 20 }), status("a", 1.2, { limitId: "m", resetsAt: 10 })],
      [budget("a"), budget("quiet")],
    );
    expect(groups.map((g) => [g.id, g.limits.length, g.utilization, g.resetsAt])).toEqual([
      ["a", 2, 1.2, 10],
      ["quiet", 0, 0, null],
    ]);
  });

  it("searches, filters by scope dimension, enforcement and state, sorts, and pages 5,000 budgets", () => {
    const groups = seed();
    expect(filterBudgets(groups, { search: "worker-4102" }).map((g) => g.id)).toEqual(["worker-4102"]);
    const found = filterBudgets(groups, { search: " WORKER-41" }).map((g) => g.id);
    expect(found).toContain("worker-412");
    expect(found).toContain("worker-4117");
    expect(found.every((id) => id.includes("worker-41"))).toBe(true);
    expect(found.length).toBe(36); // ids 41x and 41xx that are workers (every third id)
    const workers = filterBudgets(groups, { dimension: "worker" });
    expect(workers.length).toBe(1667);
    expect(workers.every((g) => g.id.startsWith("worker-"))).toBe(true);
    const over = filterBudgets(groups, { state: "over" });
    expect(over.length).toBeGreaterThan(0);
    expect(over.every((g) => g.utilization >= 1)).toBe(true);
    const warnHard = filterBudgets(groups, { enforcement: "warn", state: "warn" });
    expect(
      warnHard.every((g) => stateOf(g.utilization) === "warn" && g.limits[0]?.enforcement === "warn"),
    ).toBe(true);
    const used = filterBudgets(groups, { sort: "used" });
    expect(used[0]?.utilization).toBe(99 / 80);
    const reset = filterBudgets(groups, { sort: "reset" });
    expect(reset[0]?.resetsAt).toBe(1_000_000);
    const page = pageOf(used, 3);
    expect([page.items.length, page.page, page.pages]).toEqual([25, 3, 200]);
    expect(pageOf(used, 999).page).toBe(199);
    expect(expandedByDefault(groups.length)).toBe(false);
    expect(expandedByDefault(2)).toBe(true);
  });
});
