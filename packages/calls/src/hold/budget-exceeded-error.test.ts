import type { Denial } from "@budget/core";
import { describe, expect, it } from "vitest";
import { BudgetExceededError, isBudgetExceededError } from "./budget-exceeded-error.js";

const denial: Denial = {
  reason: "limit_exceeded",
  message: "budget b1 is spent",
  budgetId: "b1",
  limitId: "l1",
  partition: null,
  enforcement: "hard_limit",
  window: null,
  limit: { tokens: 10 },
  current: { tokens: 10, costNanoUsd: 0n, requests: 1 },
  requested: { tokens: 5, costNanoUsd: 0n, requests: 1 },
  remaining: { tokens: 0 },
  resetsAt: null,
  windowStart: null,
  retryAfterMs: null,
};

describe("isBudgetExceededError", () => {
  it("recognizes the error by its code and denial, whichever copy of the class made it", () => {
    expect(isBudgetExceededError(new BudgetExceededError(denial))).toBe(true);
    const otherCopy = Object.assign(new Error(denial.message), { code: "budget_exceeded", denial });
    expect(isBudgetExceededError(otherCopy)).toBe(true);
  });

  it("rejects other errors", () => {
    expect(isBudgetExceededError(new Error("budget_exceeded"))).toBe(false);
    expect(isBudgetExceededError(Object.assign(new Error("x"), { code: "budget_exceeded" }))).toBe(false);
    expect(isBudgetExceededError({ code: "budget_exceeded", denial })).toBe(false);
    expect(isBudgetExceededError(null)).toBe(false);
  });
});
