import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBudget } from "./testing/run-budget.js";

const dir = mkdtempSync(join(tmpdir(), "budget-cli-maint-"));
const db = join(dir, "budget.db");
const budget = (...args: string[]) => runBudget(["--db", db, ...args], { cwd: dir });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("budget reconcile and prices reprice (spawned binary, local file)", { timeout: 180_000 }, () => {
  it("reconciles without drift, then reprices a range dry and applied, once", async () => {
    expect((await budget("set", "team", "--window", "month", "--cost", "100")).code).toBe(0);
    for (const key of ["a", "b"]) {
      const r = await budget(
        "record",
        "--model",
        "gpt-4o",
        "--provider",
        "openai",
        "--input",
        "1000000",
        "--idempotency-key",
        key,
      );
      expect(r.code).toBe(0);
    }
    const rec = await budget("reconcile", "--json");
    expect(rec.code).toBe(0);
    expect(JSON.parse(rec.stdout)).toMatchObject({ events: 2, drift: [] });

    const prices = join(dir, "prices.json");
    writeFileSync(
      prices,
      JSON.stringify([
        {
          id: "manual:openai:gpt-4o:cheap",
          provider: "openai",
          model: "gpt-4o",
          tokenRates: { input: "1", output: "4" },
          unitRates: {},
          effectiveFrom: 0,
          effectiveTo: null,
          source: "manual",
        },
      ]),
    );
    const args = ["prices", "reprice", "--from", "1d", "--to", "2100-01-01", "--prices", prices, "--json"];
    const dry = await budget(...args);
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout);
    expect(plan).toMatchObject({
      changed: 2,
      applied: null,
      totals: { events: 2, newCostUsd: "2.000000000" },
    });
    const applied = JSON.parse((await budget(...args, "--apply")).stdout);
    expect(applied.applied).toMatchObject({ recorded: 2, duplicates: 0 });
    const again = JSON.parse((await budget(...args, "--apply")).stdout);
    expect(again.applied).toMatchObject({ recorded: 0, duplicates: 2 });
    const status = JSON.parse((await budget("status", "team", "--json")).stdout);
    expect(status[0].used.costUsd).toBe("2.000000000");

    const bad = await budget("prices", "reprice", "--from", "1d", "--to", "2100-01-01");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--at");
  });
});
