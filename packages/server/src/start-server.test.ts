import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "./config/load-config.js";
import { startServer } from "./start-server.js";

describe("startServer", () => {
  it("seeds bundled prices, upserts config budgets, bootstraps an admin key once, wires the price updater", async () => {
    const dir = mkdtempSync(join(tmpdir(), "budget-start-"));
    const config = parseConfig(
      {
        server: { port: 0 },
        database: { file: join(dir, "budget.db") },
        logging: { level: "silent" },
        budgets: [{ id: "team", limits: [{ id: "m", window: { type: "month" }, cost: "100" }] }],
      },
      {},
    );
    const first = await startServer({ config });
    const key = first.adminKey;
    try {
      expect(key).toMatch(/^bgt_/);
      const h = { authorization: `Bearer ${key}`, "content-type": "application/json" };
      const price = await (await fetch(`${first.url}/v1/prices/show?model=gpt-4o`, { headers: h })).json();
      expect(price.id).toMatch(/^bundled:openai:gpt-4o:/);
      expect((await fetch(`${first.url}/v1/budgets/team`, { headers: h })).status).toBe(200);
      const update = await fetch(`${first.url}/v1/prices/update`, { method: "POST", headers: h, body: "{}" });
      expect(update.status).toBe(200);
      const approve = await fetch(`${first.url}/v1/prices/pending/nope/approve`, {
        method: "POST",
        headers: h,
      });
      expect(approve.headers.get("content-type")).toBe("application/problem+json");
      expect(approve.status).toBeLessThan(500);
    } finally {
      await first.close();
    }
    // Keys live in the database as hashes only: the secret appears nowhere in the file.
    expect(readFileSync(join(dir, "budget.db")).includes(Buffer.from(key!))).toBe(false);

    const second = await startServer({ config });
    try {
      expect(second.adminKey).toBeNull();
      const res = await fetch(`${second.url}/v1/budgets`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
