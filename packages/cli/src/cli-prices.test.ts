import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BUDGET_NODE_ARGS, runBudget } from "./testing/run-budget.js";

const dir = mkdtempSync(join(tmpdir(), "budget-cli-prices-"));
const db = join(dir, "budget.db");
const budget = (...args: string[]) => runBudget(["--db", db, ...args], { cwd: dir });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A price file (no network; a quote is the whole price): gpt-4o +20 % applies from one trusted source; gpt-4o-mini +300 % is held.
writeFileSync(
  join(dir, "prices.json"),
  JSON.stringify({
    quotes: [
      {
        provider: "openai",
        model: "gpt-4o",
        tokenRates: { input: "3", output: "12", cacheRead: "1.25" },
        unitRates: { webSearch: "0.01" },
      },
      {
        provider: "openai",
        model: "gpt-4o-mini",
        tokenRates: { input: "0.6", output: "0.6", cacheRead: "0.075" },
        unitRates: { webSearch: "0.01" },
      },
    ],
  }),
);

interface Report {
  applied: { model: string }[];
  quarantined: { model: string; pendingId: string }[];
}

describe("budget prices on a local database (spawned binary)", { timeout: 180_000 }, () => {
  it("update applies a checked change, holds a suspicious one; approve applies it; cost uses the new versions", async () => {
    const update = await budget("prices", "update", "--source", "file:prices.json", "--json");
    expect(update.stderr).toBe("");
    expect(update.code).toBe(0);
    const report = update.json<Report>();
    expect(report.applied.map((a) => a.model)).toEqual(["gpt-4o"]);
    expect(report.quarantined.map((q) => q.model)).toEqual(["gpt-4o-mini"]);

    const cost = await budget("cost", "--model", "gpt-4o", "--input", "1000000", "--json");
    expect(cost.json()).toMatchObject({ costUsd: "3.000000000" });

    const pendingId = report.quarantined[0]?.pendingId ?? "";
    const approve = await budget("prices", "approve", pendingId);
    expect(approve.code).toBe(0);
    const history = await budget("prices", "history", "gpt-4o-mini", "--json");
    const versions = history.json<{ tokenRates: { input: string }; effectiveTo: number | null }[]>();
    expect(versions.map((v) => [v.tokenRates.input, v.effectiveTo === null])).toEqual([
      ["0.15", false],
      ["0.6", true],
    ]);
    const again = await budget("prices", "approve", pendingId);
    expect(again.code).toBe(1); // already decided: a conflict, not a missing change
    expect(again.stderr).toMatch(/no longer pending|already approved/);
  });

  it("resolve says what a name resolves to and why; unknown names exit 4; cost --at prices another instant", async () => {
    const dated = await budget("prices", "resolve", "openai", "gpt-4o-2024-08-06", "--json");
    expect(dated.code).toBe(0);
    expect(dated.json()).toMatchObject({ provider: "openai", found: { provider: "openai" }, version: {} });
    const unknown = await budget("prices", "resolve", "azure_ai", "zz-no-such-model");
    expect(unknown.code).toBe(4);
    expect(unknown.stdout).toMatch(/unknown model: azure lists no model/);
    const latest = await budget("prices", "resolve", "gemini-pro-latest", "--json");
    expect(latest.code).toBe(4);
    expect(latest.json()).toMatchObject({ found: null, version: null });
    // DeepSeek's standard hours cost twice its off-peak hours.
    const at = (time: string) =>
      budget(
        "cost",
        "--model",
        "deepseek-chat",
        "--provider",
        "deepseek",
        "--output",
        "1000000",
        "--at",
        time,
        "--json",
      );
    const [peak, offPeak] = await Promise.all([at("2026-03-01T10:00:00Z"), at("2026-03-01T20:00:00Z")]);
    expect(peak.json()).toMatchObject({ costUsd: "1.100000000" });
    expect(offPeak.json()).toMatchObject({ costUsd: "0.550000000" });
    const bad = await budget("cost", "--model", "gpt-4o", "--input", "1", "--at", "yesterday");
    expect(bad.code).toBe(2);
  });

  it("approve and reject decide in bulk by source, provider or run", async () => {
    writeFileSync(
      join(dir, "bulk.json"),
      JSON.stringify([
        {
          provider: "openai",
          model: "gpt-4o",
          tokenRates: { input: "3", output: "12", cacheRead: "1.25" },
          unitRates: { webSearch: "0.01" },
        },
        {
          provider: "openai",
          model: "gpt-4o-mini",
          tokenRates: { input: "9", output: "9", cacheRead: "0.075" },
          unitRates: { webSearch: "0.01" },
        },
      ]),
    );
    const update = await budget("prices", "update", "--source", "file:bulk.json", "--json");
    const report = update.json<Report & { runId: string }>();
    expect(report.quarantined).toHaveLength(1);
    expect((await budget("prices", "reject")).code).toBe(2);
    expect((await budget("prices", "reject", "x", "--all")).code).toBe(2);
    const rejected = await budget("prices", "reject", "--run", report.runId, "--json");
    expect(rejected.code).toBe(0);
    expect(rejected.json()).toMatchObject({ decision: "rejected", ids: [report.quarantined[0]?.pendingId] });
    const none = await budget("prices", "approve", "--all", "--json");
    expect(none.json()).toMatchObject({ ids: [] });
  });

  it("update without any source is a usage error", async () => {
    const none = await budget("prices", "update");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--source/);
  });

  it("stops quietly when the reader closes the pipe early (`budget prices list | head -1`)", async () => {
    const child = spawn(process.execPath, [...BUDGET_NODE_ARGS, "--db", db, "prices", "list"], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise((r) => child.once("close", r));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
