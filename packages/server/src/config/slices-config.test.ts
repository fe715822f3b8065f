import { isBudgetError } from "@budget/core";
import { describe, expect, it } from "vitest";
import { parseConfig } from "./load-config.js";

const PG = "postgres://budget@127.0.0.1:5432/budget";
const rolling = (minutes: number) => ({
  id: "org",
  limits: [{ id: "burst", window: { type: "rolling", minutes }, tokens: 1000, enforcement: "hard_limit" }],
});

/** The paths and messages of the config error `input` raises. */
function refusal(input: unknown): { path: string; message: string }[] {
  try {
    parseConfig(input, {});
  } catch (err) {
    if (!isBudgetError(err, "invalid_input")) throw err;
    return err.details.issues as { path: string; message: string }[];
  }
  throw new Error("the config was accepted");
}

describe("database.slices", () => {
  it("takes the defaults when enabled on PostgreSQL", () => {
    const config = parseConfig({ database: { url: PG, slices: { enabled: true } } }, {});
    expect(config.database.slices).toEqual({ enabled: true, ttlMs: 2000, share: 0.25 });
  });

  it("refuses slices without PostgreSQL, naming the setting", () => {
    const [issue] = refusal({ database: { slices: { enabled: true } } });
    expect(issue?.path).toBe("database.slices.enabled");
    expect(issue?.message).toMatch(/PostgreSQL/);
    // BUDGET_DB (a SQLite file) replacing the file's URL refuses it too.
    expect(() =>
      parseConfig({ database: { url: PG, slices: { enabled: true } } }, { BUDGET_DB: "./x.db" }),
    ).toThrow(/database\.slices\.enabled/);
  });

  it("takes the longest TTL beside a short rolling limit: rolling limits are not sliced", () => {
    const config = {
      database: { url: PG, slices: { enabled: true, ttlMs: 600_000 } },
      budgets: [rolling(5)],
    };
    expect(parseConfig(config, {}).database.slices?.ttlMs).toBe(600_000);
  });

  it("refuses a TTL or share out of range, and unknown fields", () => {
    expect(refusal({ database: { url: PG, slices: { enabled: true, ttlMs: 700_000 } } })[0]?.path).toBe(
      "database.slices.ttlMs",
    );
    expect(refusal({ database: { url: PG, slices: { enabled: true, share: 0.6 } } })[0]?.path).toBe(
      "database.slices.share",
    );
    expect(refusal({ database: { url: PG, slices: { enabled: true, share: 0 } } })[0]?.path).toBe(
      "database.slices.share",
    );
    expect(refusal({ database: { url: PG, slices: { enabled: true, size: 5 } } })[0]?.path).toBe(
      "database.slices",
    );
  });
});
