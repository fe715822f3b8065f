import { describe, expect, it } from "vitest";
import { planAssignment } from "./assignment.js";

const tasks = [
  { id: "a", estimatedTokens: 400, priority: 1 },
  { id: "b", estimatedTokens: 700, priority: 3 },
  { id: "c", estimatedTokens: 300, priority: 3 },
  { id: "d", estimatedTokens: 200 },
  { id: "e", estimatedTokens: 100, priority: 1 },
];
const ids = (p: { assignments: { task: { id: string } }[] }) => p.assignments.map((a) => a.task.id);

describe("planAssignment", () => {
  it("assigns by priority, then given order, skipping what does not fit", () => {
    const plan = planAssignment({ tasks, remaining: 1200, mode: "strict" });
    // b(700) c(300) fit; a(400) does not fit the 200 left; e(100) then d(100 left < 200) skipped.
    expect(ids(plan)).toEqual(["b", "c", "e"]);
    expect(plan.skipped.map((s) => [s.task.id, s.reason])).toEqual([
      ["a", "estimate 400 does not fit the 200 run tokens left"],
      ["d", "estimate 200 does not fit the 100 run tokens left"],
    ]);
    expect(plan.remainingTokens).toBe(100);
    expect(plan.assignments.every((a) => !a.overBudget && a.workerId === null)).toBe(true);
  });

  it("never starts a task that cannot fit in strict mode", () => {
    for (let remaining = 0; remaining <= 1800; remaining += 50) {
      const plan = planAssignment({ tasks, remaining, mode: "strict" });
      const total = plan.assignments.reduce((s, a) => s + a.task.estimatedTokens, 0);
      expect(total).toBeLessThanOrEqual(remaining);
      expect(plan.assignments.length + plan.skipped.length).toBe(tasks.length);
    }
  });

  it("honours maxTokensPerTask and unlimited runs", () => {
    const plan = planAssignment({ tasks, remaining: null, mode: "strict", maxTokensPerTask: 500 });
    expect(ids(plan)).toEqual(["c", "a", "e", "d"]);
    expect(plan.skipped).toEqual([{ task: tasks[1], reason: "estimate 700 exceeds maxTokensPerTask 500" }]);
    expect(plan.remainingTokens).toBeNull();
  });

  it("starts everything in soft mode, marking what is over budget", () => {
    const plan = planAssignment({ tasks, remaining: 1200, mode: "soft" });
    expect(ids(plan)).toEqual(["b", "c", "a", "e", "d"]);
    expect(plan.assignments.filter((a) => a.overBudget).map((a) => a.task.id)).toEqual(["a", "e", "d"]);
    expect(plan.skipped).toEqual([]);
    expect(plan.remainingTokens).toBe(0);
  });

  it("spreads tasks over the workers with the most room", () => {
    const plan = planAssignment({
      tasks,
      remaining: null,
      mode: "strict",
      workers: [
        { id: "w1", remainingTokens: 800 },
        { id: "w2", remainingTokens: 900 },
      ],
    });
    expect(plan.assignments.map((a) => [a.task.id, a.workerId])).toEqual([
      ["b", "w2"], // w2 900 → 200
      ["c", "w1"], // w1 800 → 500
      ["a", "w1"], // w1 500 → 100
      ["e", "w2"], // w2 200 → 100
    ]);
    expect(plan.skipped).toEqual([{ task: tasks[3], reason: "no worker has 200 tokens left" }]);
  });

  it("prefers an unlimited worker", () => {
    const plan = planAssignment({
      tasks: [{ id: "x", estimatedTokens: 10 }],
      remaining: 100,
      mode: "strict",
      workers: [
        { id: "w1", remainingTokens: 50 },
        { id: "w2", remainingTokens: null },
      ],
    });
    expect(plan.assignments[0]?.workerId).toBe("w2");
  });
});
