import type { Budget } from "@budget/core";
import { describe, expect, it } from "vitest";
import { CliError } from "../exit-codes.js";
import { applyBudgetEdit } from "./budget-edit.js";

const existing: Budget = {
  id: "team",
  name: "Team",
  scope: { component: "planner", worker: { each: true } },
  timezone: "Europe/Paris",
  enabled: true,
  limits: [
    {
      id: "daily",
      window: { type: "day" },
      tokens: 100_000,
      cost: "25",
      enforcement: "hard_limit",
      thresholds: [0.5, 0.8, 1],
    },
    { id: "monthly", window: { type: "month" }, cost: "500", enforcement: "warn", thresholds: [1] },
  ],
  resetAt: null,
  createdAt: 1,
  updatedAt: 1,
};

describe("applyBudgetEdit", () => {
  it("creates a budget with one limit named after its window", () => {
    const b = applyBudgetEdit(null, {
      budgetId: "new",
      window: { type: "week" },
      tokens: 10,
      scope: ["model=gpt-4o"],
    });
    expect(b).toEqual({
      id: "new",
      scope: { model: "gpt-4o" },
      limits: [{ id: "week", window: { type: "week" }, tokens: 10 }],
    });
  });

  it("changes one field of one limit and keeps everything else", () => {
    const b = applyBudgetEdit(existing, { budgetId: "team", limitId: "daily", cost: "30" });
    expect(b.limits).toEqual([{ ...existing.limits[0], cost: "30" }, existing.limits[1]]);
    expect(b.scope).toEqual(existing.scope);
    expect(b.timezone).toBe("Europe/Paris");
  });

  it("removes an amount with null, a scope selector with *, and a whole limit", () => {
    const b = applyBudgetEdit(existing, {
      budgetId: "team",
      limitId: "daily",
      tokens: null,
      scope: ["worker=*", "tags=a,b"],
    });
    expect(b.limits[0]).not.toHaveProperty("tokens");
    expect(b.scope).toEqual({ component: "planner", tags: ["a", "b"] });
    expect(
      applyBudgetEdit(existing, { budgetId: "team", removeLimit: "monthly" }).limits.map((l) => l.id),
    ).toEqual(["daily"]);
  });

  it("refuses what it cannot resolve: which limit, a new limit without window, a missing limit", () => {
    expect(() => applyBudgetEdit(existing, { budgetId: "team", cost: "1" })).toThrow(
      /several limits.*--limit/,
    );
    expect(() => applyBudgetEdit(existing, { budgetId: "team", limitId: "hourly", tokens: 5 })).toThrow(
      /--window/,
    );
    expect(() => applyBudgetEdit(null, { budgetId: "x", name: "X" })).toThrow(/--window/);
    const missing = (() => {
      try {
        applyBudgetEdit(existing, { budgetId: "team", removeLimit: "nope" });
      } catch (err) {
        return err;
      }
    })();
    expect(missing).toBeInstanceOf(CliError);
    expect((missing as CliError).exitCode).toBe(4);
  });
});
