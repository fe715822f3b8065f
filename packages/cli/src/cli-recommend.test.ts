import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { computeCostNanoUsd, formatUsd, makeUsage } from "@budget/core";
import { loadBundledPrices } from "@budget/prices";
import { afterAll, describe, expect, it } from "vitest";
import { parseNeeds } from "./commands/recommend.js";
import { runBudget } from "./testing/run-budget.js";

const dir = mkdtempSync(join(tmpdir(), "budget-cli-recommend-"));
const db = join(dir, "budget.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("budget recommend", { timeout: 120_000 }, () => {
  it("parses --needs into requirements, refusing unknown words", () => {
    expect(parseNeeds("tools,prompt-caching,image,output:audio")).toEqual({
      capabilities: ["tools", "promptCaching"],
      input: ["image"],
      output: ["audio"],
    });
    expect(() => parseNeeds("telepathy")).toThrow(/--needs telepathy/);
  });

  it("ranks the bundled models by cost; the figures match an independent pricing", async () => {
    const r = await runBudget(
      [
        "--db",
        db,
        "recommend",
        "--model",
        "gpt-4o",
        "--provider",
        "openai",
        "--input",
        "1000",
        "--output",
        "200",
      ].concat(["--calls", "7", "--only", "openai", "--limit", "5", "--json"]),
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const usage = makeUsage({ inputTokens: 1000, outputTokens: 200 });
    const { versions } = loadBundledPrices();
    const at = out.at as number;
    const cost = (id: string) => {
      const v = versions.find((x) => x.id === id);
      if (!v) throw new Error(`no version ${id}`);
      return computeCostNanoUsd(v, usage, { at }) * 7n;
    };
    const current = cost(out.current.priceVersionId);
    expect(out.current.costUsd).toBe(formatUsd(current));
    expect(out.ranked).toHaveLength(5);
    let previous = -1n;
    for (const m of out.ranked) {
      expect(m.provider).toBe("openai");
      const mine = cost(m.priceVersionId);
      expect(m.costUsd).toBe(formatUsd(mine));
      expect(m.savingUsd).toBe(formatUsd(current - mine));
      expect(mine >= previous).toBe(true);
      previous = mine;
    }
  });
});
