import { describe, expect, it } from "vitest";
import { CliError, describeError, EXIT, isCliError } from "./exit-codes.js";

/** The module loaded a second time: its `CliError` is another class, as from a second install. */
const copy = (await import(
  /* @vite-ignore */ `${new URL("./exit-codes.ts", import.meta.url).pathname}?second-copy`
)) as typeof import("./exit-codes.js");

describe("describeError: a CliError by its name and codes, not instanceof", () => {
  it("keeps the exit code and code of a CliError from this copy or a second copy", () => {
    const second = new copy.CliError("the daily budget is spent", EXIT.denied, "budget_denied");
    expect(second).not.toBeInstanceOf(CliError);
    expect(isCliError(second)).toBe(true);
    for (const err of [new CliError("the daily budget is spent", EXIT.denied, "budget_denied"), second])
      expect(describeError(err)).toEqual({
        exitCode: EXIT.denied,
        code: "budget_denied",
        message: "the daily budget is spent",
      });
    expect(describeError(copy.usageError("--from is not a date"))).toMatchObject({ exitCode: EXIT.usage });
  });

  it("rejects errors that only look alike", () => {
    expect(isCliError(Object.assign(new Error("x"), { code: "invalid_input" }))).toBe(false);
    expect(isCliError({ name: "CliError", exitCode: 2, code: "invalid_input" })).toBe(false);
    expect(isCliError(null)).toBe(false);
  });
});
