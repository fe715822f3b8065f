import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BudgetInput } from "@budget/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Backend } from "./backend/backend.js";
import { openLocalBackend } from "./backend/local-backend.js";
import { STATUS_PAGE } from "./commands/status.js";
import { runBudget } from "./testing/run-budget.js";

// More budgets than two pages: the last page is partial, and one budget has no row (`each`).
const COUNT = 2 * STATUS_PAGE + 101;
const id = (i: number) => `b${String(i).padStart(5, "0")}`;
const dir = mkdtempSync(join(tmpdir(), "budget-status-all-"));
const db = join(dir, "budget.db");
let backend: Backend;

beforeAll(async () => {
  backend = await openLocalBackend({ store: { kind: "sqlite", file: db }, description: db, from: "--db" });
  const limits: BudgetInput["limits"] = [
    { id: "day", window: { type: "day" }, tokens: 1000 },
    { id: "hour", window: { type: "hour" }, requests: 10 },
  ];
  for (let i = COUNT - 1; i >= 1; i--) await backend.client.upsertBudget({ id: id(i), limits });
  await backend.client.upsertBudget({ id: id(0), scope: { worker: { each: true } }, limits });
}, 120_000);

afterAll(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("status --all pages through the budgets", { timeout: 120_000 }, () => {
  it("yields every open budget once, by id, a page at a time", async () => {
    const sizes: number[] = [];
    const ids: string[] = [];
    for await (const page of backend.budgetPages(STATUS_PAGE)) {
      sizes.push(page.length);
      ids.push(...page.map((b) => b.budget.id));
    }
    expect(sizes).toEqual([STATUS_PAGE, STATUS_PAGE, 101]);
    expect(ids).toEqual(Array.from({ length: COUNT }, (_, i) => id(i)));
  });

  it("prints a table per page and one JSON array of every row", async () => {
    await backend.close(); // the command opens the file itself
    const table = await runBudget(["--db", db, "status", "--all"], { cwd: dir });
    expect(table.code).toBe(0);
    expect(table.stdout.match(/^│ b\d{5} /gm)).toHaveLength(2 * (COUNT - 1));
    expect(table.stdout.match(/^┌/gm)).toHaveLength(3);
    expect(table.stdout).toContain(`${id(0)}: no usage in the current window yet`);

    const json = await runBudget(["--db", db, "status", "--all", "--json"], { cwd: dir });
    expect(json.code).toBe(0);
    const rows = json.json<{ budgetId: string; limitId: string }[]>();
    expect(rows).toHaveLength(2 * (COUNT - 1));
    expect(rows.slice(0, 4).map((r) => `${r.budgetId}/${r.limitId}`)).toEqual([
      `${id(1)}/day`,
      `${id(1)}/hour`,
      `${id(2)}/day`,
      `${id(2)}/hour`,
    ]);
    backend = await openLocalBackend({ store: { kind: "sqlite", file: db }, description: db, from: "--db" });
  });
});
