import { describe, expect, it } from "vitest";
import { validate } from "../errors/validate.js";
import { budgetInputSchema } from "./budget.js";

const limits = [{ id: "l", window: { type: "lifetime" }, tokens: 10 }];
const issuesOf = (input: unknown) => {
  try {
    validate(budgetInputSchema, input, "budget");
    return [];
  } catch (err) {
    return (err as { details: { issues: { path: string }[] } }).details.issues.map((i) => i.path);
  }
};

describe("budget input: scopes that would match everything by accident", () => {
  it("refuses a run budget with an empty scope, naming scope.run", () => {
    for (const id of ["run:r1", "run-r1:worker", "run_r1"])
      expect(issuesOf({ id, limits })).toEqual(["scope.run"]);
    expect(issuesOf({ id: "run:r1", scope: {}, limits })).toEqual(["scope.run"]);
    // Scoped wider on purpose (an admin's budget under a run id) is not an accident.
    expect(issuesOf({ id: "run:r5", scope: { component: "planner" }, limits })).toEqual([]);
    expect(issuesOf({ id: "run:r1", scope: { run: "r1" }, limits })).toEqual([]);
    expect(issuesOf({ id: "runner", limits })).toEqual([]);
  });

  it("refuses a wildcard-looking value where unset or each was meant, naming the field", () => {
    expect(issuesOf({ id: "w", scope: { worker: "*" }, limits })).toEqual(["scope.worker"]);
    expect(issuesOf({ id: "u", scope: { user: "each", model: "gpt-4o" }, limits })).toEqual(["scope.user"]);
    expect(issuesOf({ id: "e", scope: { user: { each: true } }, limits })).toEqual([]);
  });
});
