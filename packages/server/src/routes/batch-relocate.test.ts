import { BudgetError } from "@budget/core";
import { describe, expect, it } from "vitest";
import { relocate } from "./batch.js";

/** Core's error module loaded a second time: its `BudgetError` is another class, as from a second install. */
const copy = (await import(
  /* @vite-ignore */ `${new URL("../../../core/src/errors/budget-error.ts", import.meta.url).pathname}?second-copy`
)) as typeof import("@budget/core");

const issues = [{ path: "estimate.inputTokens", message: "must be a non-negative integer" }];

describe("batch: an operation's invalid_input names its paths under the operation", () => {
  it("moves the paths of a BudgetError from this copy or a second copy of core", () => {
    const second = new copy.BudgetError("invalid_input", "bad", { issues });
    expect(second).not.toBeInstanceOf(BudgetError);
    for (const err of [new BudgetError("invalid_input", "bad", { issues }), second]) {
      expect(relocate(err, 3)).toMatchObject({
        code: "invalid_input",
        message: "body.operations.3.request.estimate.inputTokens: must be a non-negative integer",
        details: { issues: [{ path: "body.operations.3.request.estimate.inputTokens" }] },
      });
    }
  });

  it("leaves other errors as they are", () => {
    const notFound = new copy.BudgetError("not_found", "no such reservation", { issues });
    expect(relocate(notFound, 3)).toBe(notFound);
    const plain = new Error("boom");
    expect(relocate(plain, 0)).toBe(plain);
  });
});
