import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBudget } from "./testing/run-budget.js";

const dir = mkdtempSync(join(tmpdir(), "budget-cli-edges-"));
const db = join(dir, "budget.db");
const budget = (...args: string[]) => runBudget(["--db", db, ...args], { cwd: dir });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Limit {
  id: string;
  tokens?: number;
  cost?: string;
  requests?: number;
}

describe("budget CLI on the README tour: no rough edges (spawned binary)", { timeout: 240_000 }, () => {
  it("usage before a budget is no drift, and --repair charges the new budget nothing", async () => {
    // The tour's order: usage first, then a budget, then more usage.
    const early = await budget("record", "--model", "gpt-4o", "--input", "1112", "--component", "planner");
    expect(early.code).toBe(0);
    const set = await budget(
      "set",
      "planner",
      "--scope",
      "component=planner",
      "--window",
      "month",
      "--cost",
      "100",
    );
    expect(set.code).toBe(0);
    expect(
      (await budget("record", "--model", "gpt-4o", "--input", "1200", "--component", "planner")).code,
    ).toBe(0);
    const check = await budget("reconcile", "--json");
    expect(check.code).toBe(0);
    expect(check.json<{ events: number; drift: unknown[] }>()).toMatchObject({ events: 2, drift: [] });
    expect((await budget("reconcile", "--repair", "--json")).code).toBe(0);
    const [row] = (await budget("status", "planner", "--json")).json<{ used: { tokens: number } }[]>();
    expect(row?.used.tokens).toBe(1200);
  });

  it("status and report show exact money: nothing rounds to cents", async () => {
    const status = await budget("status", "planner");
    // gpt-4o input at $2.50 per million: 1200 tokens cost $0.003, leaving $99.997 of $100.
    expect(status.stdout).toContain("$0.003 / $100.00");
    expect(status.stdout).toContain("$99.997");
    const report = await budget("report", "--group-by", "component", "--from", "1d");
    expect(report.code).toBe(0);
    // 1112 + 1200 input tokens: $0.00278 + $0.003, total $0.00578 (not "$0.01").
    expect(report.stdout).toContain("$0.00578");
    expect(report.stdout).not.toMatch(/\$0\.01\b/);
  });

  it("record stores the provider the catalog resolves the model to", async () => {
    const rec = await budget(
      "record",
      "--model",
      "claude-sonnet-4-5",
      "--input",
      "1200",
      "--output",
      "300",
      "--json",
    );
    expect(rec.code).toBe(0);
    expect(rec.json<{ event: { dimensions: Record<string, string> } }>().event.dimensions).toMatchObject({
      model: "claude-sonnet-4-5",
      provider: "anthropic",
    });
    const byProvider = await budget("report", "--group-by", "provider", "--from", "1d", "--json");
    const groups = byProvider
      .json<{ group: { provider?: string } }[]>()
      .map((g) => g.group.provider ?? "(none)");
    expect(groups.sort()).toEqual(["anthropic", "openai"]);
  });

  it("set --tokens none / --cost none / --requests none remove the amount", async () => {
    const both = await budget(
      "set",
      "caps",
      "--window",
      "day",
      "--tokens",
      "5000",
      "--cost",
      "2",
      "--requests",
      "9",
    );
    expect(both.code).toBe(0);
    const noTokens = await budget("set", "caps", "--tokens", "none", "--requests", "none", "--json");
    expect(noTokens.stderr).toBe("");
    expect(noTokens.code).toBe(0);
    expect(noTokens.json<{ limits: Limit[] }>().limits).toEqual([
      expect.objectContaining({ id: "day", cost: "2" }),
    ]);
    expect(noTokens.json<{ limits: Limit[] }>().limits[0]).not.toHaveProperty("tokens");
    const swap = await budget("set", "caps", "--tokens", "100", "--cost", "none", "--json");
    expect(swap.code).toBe(0);
    const [limit] = swap.json<{ limits: Limit[] }>().limits;
    expect([limit?.tokens, limit?.cost]).toEqual([100, undefined]);
    // No amount left at all is still refused, as a usage error.
    const empty = await budget("set", "caps", "--tokens", "none");
    expect(empty.code).toBe(2);
  });

  it("override sets one partition's amounts; a dimension the budget does not partition exits 2 naming it", async () => {
    await budget("set", "per-user", "--window", "day", "--cost", "10", "--scope", "user=each");
    const set = await budget("override", "per-user", "user=alice", "--cost", "50", "--json");
    expect(set.stderr).toBe("");
    expect(set.json<{ overrides: unknown[] }>().overrides).toEqual([
      { match: { user: "alice" }, limits: { day: { cost: "50" } } },
    ]);
    const bad = await budget("override", "per-user", "model=gpt-4o", "--cost", "1");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("overrides.1.match.model");
  });

  it("set --concurrency caps reservations in flight; 0 is refused naming the flag", async () => {
    const set = await budget("set", "slots", "--window", "lifetime", "--concurrency", "4", "--json");
    expect(set.stderr).toBe("");
    expect(set.json<{ limits: Limit[] }>().limits).toEqual([
      expect.objectContaining({ id: "lifetime", concurrency: 4 }),
    ]);
    const zero = await budget("set", "slots", "--concurrency", "0");
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("--concurrency");
  });

  it("prices update and diff exit 1 when every source failed, 0 when one answered", async () => {
    for (const verb of ["update", "diff"]) {
      const failed = await budget("prices", verb, "--source", "file:missing.json");
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain("every price source failed (file)");
      const json = await budget("prices", verb, "--source", "file:missing.json", "--json");
      expect(json.code).toBe(1);
    }
    writeFileSync(
      join(dir, "prices.json"),
      JSON.stringify({
        quotes: [{ provider: "openai", model: "gpt-4o", tokenRates: { input: "2.5", output: "10" } }],
      }),
    );
    const partial = await budget(
      "prices",
      "diff",
      "--source",
      "file:prices.json",
      "--source",
      "litellm=http://127.0.0.1:9/none.json",
    );
    expect(partial.stderr).toMatch(/1 of 2 sources failed: litellm/);
    expect(partial.code).toBe(0);
  });
});
