import { isBudgetError } from "@budget/core";
import { describe, expect, it } from "vitest";
import { parseRunConfig, runConfigJsonSchema } from "./config.js";

function fieldOf(input: unknown): string {
  try {
    parseRunConfig(input);
  } catch (err) {
    if (isBudgetError(err, "invalid_input")) return String(err.details.field);
    throw err;
  }
  throw new Error("expected the config to be refused");
}

describe("run configuration", () => {
  it("applies defaults", () => {
    expect(parseRunConfig({ totalBudgetLimit: { tokens: 1000 } })).toEqual({
      totalBudgetLimit: { tokens: 1000 },
      budgetWarningThreshold: 0.8,
      budgetEnforcementMode: "strict",
    });
  });

  it("accepts every field", () => {
    const config = {
      maxTokensPerTask: 500,
      maxTokensPerWorker: 2000,
      totalBudgetLimit: { tokens: 5000, costUsd: "1.25" },
      budgetWarningThreshold: 0.9,
      budgetEnforcementMode: "soft",
      allowedModels: ["gpt-4o-mini"],
    };
    expect(parseRunConfig(config)).toEqual(config);
  });

  it("names the offending field", () => {
    expect(fieldOf({})).toBe("runConfig.totalBudgetLimit");
    expect(fieldOf({ totalBudgetLimit: {} })).toBe("runConfig.totalBudgetLimit");
    expect(fieldOf({ totalBudgetLimit: { costUsd: "ten" } })).toBe("runConfig.totalBudgetLimit.costUsd");
    expect(fieldOf({ totalBudgetLimit: { costUsd: "0" } })).toBe("runConfig.totalBudgetLimit.costUsd");
    expect(fieldOf({ totalBudgetLimit: { tokens: 1.5 } })).toBe("runConfig.totalBudgetLimit.tokens");
    expect(fieldOf({ totalBudgetLimit: { tokens: 1 }, maxTokensPerTask: 0 })).toBe(
      "runConfig.maxTokensPerTask",
    );
    expect(fieldOf({ totalBudgetLimit: { tokens: 1 }, maxTokensPerWorker: -3 })).toBe(
      "runConfig.maxTokensPerWorker",
    );
    expect(fieldOf({ totalBudgetLimit: { tokens: 1 }, budgetWarningThreshold: 1.5 })).toBe(
      "runConfig.budgetWarningThreshold",
    );
    expect(fieldOf({ totalBudgetLimit: { tokens: 1 }, budgetEnforcementMode: "lenient" })).toBe(
      "runConfig.budgetEnforcementMode",
    );
    expect(fieldOf({ totalBudgetLimit: { tokens: 1 }, allowedModels: [] })).toBe("runConfig.allowedModels");
    expect(() => parseRunConfig({ totalBudgetLimit: { tokens: 1 }, maxTokensPerTask: 0 })).toThrow(
      /runConfig\.maxTokensPerTask: must be greater than 0/,
    );
  });

  it("refuses unknown fields", () => {
    expect(() => parseRunConfig({ totalBudgetLimit: { tokens: 1 }, maxTokens: 5 })).toThrow(/maxTokens/);
  });

  it("is exported as JSON Schema", () => {
    const schema = runConfigJsonSchema as {
      type: string;
      properties: Record<string, { enum?: string[]; default?: unknown }>;
      required: string[];
    };
    expect(schema.type).toBe("object");
    expect(Object.keys(schema.properties).sort()).toEqual([
      "allowedModels",
      "budgetEnforcementMode",
      "budgetWarningThreshold",
      "maxTokensPerTask",
      "maxTokensPerWorker",
      "totalBudgetLimit",
    ]);
    expect(schema.properties.budgetEnforcementMode?.enum).toEqual(["strict", "soft"]);
    expect(schema.properties.budgetWarningThreshold?.default).toBe(0.8);
    expect(schema.required).toEqual(["totalBudgetLimit"]);
  });
});
