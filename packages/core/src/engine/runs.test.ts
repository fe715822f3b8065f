import { describe, expect, it } from "vitest";
import { isBudgetError } from "../errors/budget-error.js";
import { createManualClock } from "../ports/clock.js";
import { createSequentialIds } from "../ports/ids.js";
import { createMemoryStore } from "../store/memory-store.js";
import { createTestCatalog } from "../testing/fixtures.js";
import { createBudgetEngine } from "./engine.js";

function engine() {
  const clock = createManualClock("2025-01-01T00:00:00Z");
  const e = createBudgetEngine({
    store: createMemoryStore(),
    catalog: createTestCatalog(),
    clock,
    ids: createSequentialIds(),
  });
  return { e, clock };
}

describe("engine runs", () => {
  it("starts, finishes, gets and lists runs", async () => {
    const { e, clock } = engine();
    const a = await e.startRun({ id: "r1", name: "first", config: { maxTokensPerTask: 10 } });
    expect(a).toMatchObject({ id: "r1", status: "running", endedAt: null, config: { maxTokensPerTask: 10 } });
    clock.advance(1000);
    const b = await e.startRun({ name: "second" });
    expect(b.id).toBe("run_1");
    clock.advance(500);
    const done = await e.finishRun("r1", { status: "halted", summary: { reason: "budget" } });
    expect(done).toMatchObject({
      status: "halted",
      endedAt: a.startedAt + 1500,
      summary: { reason: "budget" },
    });
    expect(await e.getRun("r1")).toEqual(done);
    expect(await e.getRun("nope")).toBeNull();
    const page = await e.listRuns({ limit: 1 });
    expect(page.runs.map((r) => r.id)).toEqual(["run_1"]);
    const next = await e.listRuns({ limit: 1, cursor: page.nextCursor! });
    expect(next.runs.map((r) => r.id)).toEqual(["r1"]);
  });

  it("resumes a running run and refuses to restart or re-finish an ended one", async () => {
    const { e } = engine();
    const a = await e.startRun({ id: "r1", name: "x" });
    expect(await e.startRun({ id: "r1", name: "x again" })).toEqual(a);
    await e.finishRun("r1", { status: "completed" });
    await expect(e.startRun({ id: "r1", name: "x" })).rejects.toSatisfy((err) =>
      isBudgetError(err, "conflict"),
    );
    await expect(e.finishRun("r1", { status: "failed" })).rejects.toSatisfy((err) =>
      isBudgetError(err, "conflict"),
    );
    await expect(e.finishRun("zz", { status: "failed" })).rejects.toSatisfy((err) =>
      isBudgetError(err, "not_found"),
    );
  });

  it("names the offending field of an invalid run", async () => {
    const { e } = engine();
    await expect(e.startRun({ id: "bad id", name: "x" })).rejects.toThrow(/run\.id/);
    await expect(e.finishRun("r", { status: "done" as "completed" })).rejects.toThrow(/run\.status/);
  });
});
