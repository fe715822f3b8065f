import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBudget } from "./testing/run-budget.js";

// One database for the whole file: each step builds on the previous one, as a user would.
const dir = mkdtempSync(join(tmpdir(), "budget-cli-"));
const db = join(dir, "nested", "budget.db");
const budget = (...args: string[]) => runBudget(["--db", db, ...args], { cwd: dir });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface StatusRow {
  budgetId: string;
  limitId: string;
  partition: string;
  used: { tokens: number; costUsd: string; requests: number };
  limit: { tokens?: number; costUsd?: string };
}

// Each spawn starts Node + tsx (about 1 s, several on a loaded machine).
describe("budget CLI on a local database file (spawned binary)", { timeout: 180_000 }, () => {
  it("set creates a budget, then adds a second limit while keeping the first", async () => {
    const first = await budget(
      "set",
      "team",
      "--window",
      "day",
      "--tokens",
      "10000",
      "--cost",
      "1",
      "--scope",
      "component=planner",
      "--scope",
      "worker=each",
      "--timezone",
      "Europe/Paris",
      "--json",
    );
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const second = await budget(
      "set",
      "team",
      "--limit",
      "monthly",
      "--window",
      "month",
      "--cost",
      "5",
      "--json",
    );
    expect(second.code).toBe(0);
    const b = second.json<{
      scope: unknown;
      timezone: string;
      limits: { id: string; tokens?: number; cost?: string }[];
    }>();
    expect(b.scope).toEqual({ component: "planner", worker: { each: true } });
    expect(b.timezone).toBe("Europe/Paris");
    expect(b.limits.map((l) => [l.id, l.tokens, l.cost])).toEqual([
      ["day", 10000, "1"],
      ["monthly", undefined, "5"],
    ]);
  });

  it("set --file applies whole definitions (one budget or an array)", async () => {
    const file = join(dir, "budgets.json");
    writeFileSync(
      file,
      JSON.stringify([
        { id: "org", limits: [{ id: "monthly", window: { type: "month" }, cost: "1000" }] },
        {
          id: "runs",
          scope: { run: { each: true } },
          limits: [{ id: "life", window: { type: "lifetime" }, tokens: 50000 }],
        },
      ]),
    );
    const applied = await budget("set", "--file", file, "--json");
    expect(applied.code).toBe(0);
    expect(applied.json<{ id: string; enabled: boolean }[]>().map((b) => [b.id, b.enabled])).toEqual([
      ["org", true],
      ["runs", true],
    ]);
  });

  it("refuses a record past the amount bounds with exit 2 and amount_too_large", async () => {
    const rec = await budget(
      "record",
      "--model",
      "gpt-4o",
      "--input",
      "20000000000",
      "--component",
      "planner",
      "--idempotency-key",
      "too-big",
      "--json",
    );
    expect(rec.code).toBe(2);
    expect(rec.stderr + rec.stdout).toContain("amount_too_large");
  });

  it("record prices usage exactly and status shows it per partition", async () => {
    const rec = await budget(
      "record",
      "--model",
      "gpt-4o",
      "--input",
      "1200",
      "--output",
      "300",
      "--component",
      "planner",
      "--worker",
      "w1",
      "--idempotency-key",
      "call-1",
      "--json",
    );
    expect(rec.code).toBe(0);
    // gpt-4o: $2.50 / $10 per million tokens → 1200 × 2.5e-6 + 300 × 1e-5 = 0.006
    expect(rec.json<{ event: { costUsd: string; priceVersionId: string } }>().event.costUsd).toBe(
      "0.006000000",
    );
    const again = await budget(
      "record",
      "--model",
      "gpt-4o",
      "--input",
      "1200",
      "--output",
      "300",
      "--component",
      "planner",
      "--worker",
      "w1",
      "--idempotency-key",
      "call-1",
      "--json",
    );
    expect(again.json<{ status: string }>().status).toBe("duplicate");

    const status = await budget("status", "team", "--json");
    expect(status.code).toBe(0);
    const rows = status.json<StatusRow[]>();
    const day = rows.find((r) => r.limitId === "day" && r.partition === "worker=w1");
    expect(day?.used).toEqual({ tokens: 1500, costUsd: "0.006000000", requests: 1 });
    expect(day?.limit).toEqual({ tokens: 10000, costUsd: "1.000000000" });

    const table = await budget("status");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/team.*day.*worker=w1.*1,500 \/ 10,000.*\$0\.006000 \/ \$1\.00.*15\.0%/);
    expect(table.stdout).not.toContain("\u001b["); // NO_COLOR is honored
  });

  it("check exits 0 when allowed (and releases), 3 with the blocking budget when denied", async () => {
    const ok = await budget(
      "check",
      "--model",
      "gpt-4o",
      "--input",
      "1000",
      "--output",
      "500",
      "--component",
      "planner",
      "--worker",
      "w1",
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^allowed: estimate \$0\.007500, 1,500 tokens/);

    const denied = await budget(
      "check",
      "--model",
      "gpt-4o",
      "--input",
      "9000",
      "--output",
      "500",
      "--component",
      "planner",
      "--worker",
      "w1",
      "--json",
    );
    expect(denied.code).toBe(3);
    const d = denied.json<{
      status: string;
      denial: { budgetId: string; limitId: string; remaining: { tokens: number }; resetsAt: number };
    }>();
    expect(d.status).toBe("denied");
    expect(d.denial).toMatchObject({ budgetId: "team", limitId: "day", remaining: { tokens: 8500 } });
    expect(d.denial.resetsAt).toBeGreaterThan(Date.now());

    // The allowed check held nothing: used + reserved is still the recorded call only.
    const status = await budget("status", "team", "--partition", "worker=w1", "--json");
    const day = status
      .json<(StatusRow & { reserved: { tokens: number } })[]>()
      .find((r) => r.limitId === "day");
    expect(day?.reserved.tokens).toBe(0);
  });

  it("cost prints the exact cost and price version; an unknown model exits 4", async () => {
    const cost = await budget("cost", "--model", "gpt-4o", "--input", "1200", "--output", "300", "--json");
    expect(cost.code).toBe(0);
    expect(cost.json()).toMatchObject({ ok: true, costUsd: "0.006000000", pricing: "priced" });
    expect(cost.json<{ priceVersionId: string }>().priceVersionId).toMatch(/gpt-4o/);
    const unknown = await budget("cost", "--model", "no-such-model-xyz", "--input", "10");
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/no price for model no-such-model-xyz/);
  });

  it("report groups usage and export streams it as CSV", async () => {
    const report = await budget(
      "report",
      "--group-by",
      "model,worker",
      "--bucket",
      "day",
      "--from",
      "1d",
      "--json",
    );
    expect(report.code).toBe(0);
    expect(report.json()).toEqual([
      expect.objectContaining({
        group: { model: "gpt-4o", worker: "w1" },
        events: 1,
        tokens: 1500,
        costUsd: "0.006000000",
      }),
    ]);
    const out = join(dir, "usage.csv");
    const exp = await budget("export", "--format", "csv", "--out", out);
    expect(exp.code).toBe(0);
    const lines = readFileSync(out, "utf8").trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^time,id,kind,component,/); // the same columns as the API export
    expect(lines[1]).toMatch(/,planner,.*,gpt-4o,.*,0\.006000000,/);
  });

  it("reset refuses without --yes off a terminal (exit 2), resets with --yes", async () => {
    const refused = await budget("reset", "team");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    const reset = await budget("reset", "team", "--yes", "--json");
    expect(reset.code).toBe(0);
    expect(reset.json<{ resetAt: number }>().resetAt).toBeGreaterThan(0);
    const status = await budget("status", "team", "--json");
    expect(status.json<StatusRow[]>().every((r) => r.used.tokens === 0)).toBe(true);
  });

  it("bad input exits 2 with a clear message; a missing budget exits 4; an unreachable server exits 5", async () => {
    const badNumber = await budget("check", "--input", "abc");
    expect(badNumber.code).toBe(2);
    expect(badNumber.stderr).toMatch(/--input <n>.*must be a non-negative integer/);
    const badWindow = await budget("set", "team2", "--window", "fortnight", "--tokens", "5");
    expect(badWindow.code).toBe(2);
    expect(badWindow.stderr).toMatch(/--window fortnight/);
    const invalid = await budget(
      "set",
      "team2",
      "--window",
      "day",
      "--timezone",
      "Mars/Olympus",
      "--tokens",
      "5",
    );
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/IANA time zone/);
    const missing = await budget("status", "nope");
    expect(missing.code).toBe(4);
    const down = await runBudget(["--url", "http://127.0.0.1:9", "status", "--json"]);
    expect(down.code).toBe(5);
    expect(down.json<{ error: { code: string } }>().error.code).toBe("store_unavailable");
  });
});
