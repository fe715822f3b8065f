import { mkdtempSync, readFileSync } from "node:fs";
import { request } from "node:http";
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

  it("reads request bodies whole, in pieces and past the limit over Node", async () => {
    const dir = mkdtempSync(join(tmpdir(), "budget-body-"));
    const config = parseConfig(
      {
        server: { port: 0, bodyLimitBytes: 4096 },
        database: { file: join(dir, "budget.db") },
        auth: { adminKey: "bgt_test_admin_key_0123456789abcdef" },
        logging: { level: "silent" },
      },
      {},
    );
    const server = await startServer({ config });
    const post = (pieces: string[]) =>
      new Promise<{ status: number; body: { code?: string; inputTokens?: number } }>((resolve, reject) => {
        const req = request(`${server.url}/v1/estimate`, {
          method: "POST",
          headers: {
            authorization: "Bearer bgt_test_admin_key_0123456789abcdef",
            "content-type": "application/json",
          },
        });
        req.on("response", (res) => {
          let text = "";
          res.on("data", (d: Buffer) => {
            text += d.toString();
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        });
        req.on("error", reject);
        const send = (i: number) => {
          if (i === pieces.length) return void req.end();
          req.write(pieces[i]);
          setTimeout(() => send(i + 1), 20);
        };
        send(0);
      });
    try {
      const usage = { model: "gpt-4o", usage: { inputTokens: 1000 } };
      const whole = await post([JSON.stringify(usage)]);
      expect(whole.status).toBe(200);
      const text = JSON.stringify(usage);
      const pieces = await post([text.slice(0, 10), text.slice(10, 30), text.slice(30)]);
      expect(pieces).toEqual(whole);
      const big = await post([`{"model":"${"x".repeat(3000)}`, `${"x".repeat(3000)}"}`]);
      expect([big.status, big.body.code]).toEqual([413, "payload_too_large"]);
    } finally {
      await server.close();
    }
  });
});
