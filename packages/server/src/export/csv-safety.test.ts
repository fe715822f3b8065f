import { createBudgetEngine, createManualClock, createMemoryKeyStore, createMemoryStore } from "@budget/core";
import { createTestCatalog, OWASP_CSV_PAYLOADS, parseCsvLine } from "@budget/core/testing";
import { describe, expect, it } from "vitest";
import { createBudgetApp } from "../app/create-app.js";
import { createAuth } from "../auth/auth.js";

const RISKY = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/** Every cell that a spreadsheet would run: risky at its start and not a number of a numeric column. */
function dangerousCells(csv: string, numericColumns: ReadonlySet<string>): string[] {
  const [header, ...rows] = csv.split(/\r?\n/).filter((l) => l !== "");
  const names = parseCsvLine(header ?? "");
  const bad: string[] = [];
  for (const row of rows)
    parseCsvLine(row).forEach((cell, i) => {
      const numeric = numericColumns.has(names[i] ?? "");
      if (RISKY.test(cell) && !(numeric && PLAIN_NUMBER.test(cell))) bad.push(`${names[i]}=${cell}`);
    });
  return bad;
}

async function setup() {
  const engine = createBudgetEngine({
    store: createMemoryStore(),
    catalog: createTestCatalog(),
    clock: createManualClock("2026-05-10T00:00:00Z"),
  });
  const auth = createAuth(createMemoryKeyStore());
  const reader = (await auth.createKey({ name: "r", role: "reader" })).key;
  const { app } = createBudgetApp({ engine, keys: auth });
  await engine.startRun({ id: "r1", name: "nightly", config: {} });
  for (const [i, p] of OWASP_CSV_PAYLOADS.entries())
    await engine.record({
      dimensions: {
        provider: "test",
        model: "test-model",
        run: "r1",
        component: p,
        worker: p,
        task: p,
        tags: [p],
      },
      usage: { inputTokens: 10 + i },
      idempotencyKey: p,
    });
  const get = async (path: string) =>
    (await app.request(path, { headers: { authorization: `Bearer ${reader}` } })).text();
  return { get };
}

describe("CSV exports are safe to open in a spreadsheet", () => {
  it("neutralises every OWASP payload in the ledger export, keeping numbers numeric", async () => {
    const { get } = await setup();
    const csv = await get("/v1/usage/export?format=csv");
    const rows = csv.trim().split("\n");
    expect(rows).toHaveLength(OWASP_CSV_PAYLOADS.length + 1);
    expect(dangerousCells(csv, new Set(["inputTokens", "costUsd"]))).toEqual([]);
    // The payload is still there, after the quote, in each text column it was given in.
    const header = parseCsvLine(rows[0] ?? "");
    const first = parseCsvLine(rows[1] ?? "");
    for (const col of ["component", "worker", "task", "tags", "idempotencyKey"])
      expect(first[header.indexOf(col)], col).toBe(`'${OWASP_CSV_PAYLOADS[0]}`);
    expect(first[header.indexOf("inputTokens")]).toBe("10");
  });

  it("neutralises every OWASP payload in the run report CSV", async () => {
    const { get } = await setup();
    const csv = await get("/v1/runs/r1/report?format=csv");
    expect(csv.split("\r\n").filter(Boolean).length).toBeGreaterThan(OWASP_CSV_PAYLOADS.length);
    expect(dangerousCells(csv, new Set(["tokens", "cost_usd", "requests", "events"]))).toEqual([]);
    expect(csv).toContain(`"'${OWASP_CSV_PAYLOADS[4]}"`);
  });
});
