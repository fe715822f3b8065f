import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/load-config.js";
import { startServer } from "../start-server.js";
import { startReceiver } from "./test-receiver.js";
import type { WebhookEvent } from "./webhook-event.js";
import { verifyWebhookSignature } from "./webhook-signature.js";

const SECRET = "e2e-signing-secret-0123";

describe("webhooks in startServer", () => {
  it("delivers one threshold alert per crossing, and the price updater's alerts", async () => {
    const receiver = await startReceiver();
    const config = parseConfig(
      {
        server: { port: 0 },
        database: { file: ":memory:" },
        logging: { level: "silent" },
        budgets: [
          {
            id: "team",
            limits: [
              { id: "day", window: { type: "day" }, tokens: 1000, enforcement: "warn", thresholds: [0.5] },
            ],
          },
        ],
        prices: {
          sources: [
            { id: "bundled", type: "bundled" },
            { id: "local", type: "file", file: join(tmpdir(), "budget-no-such-prices-file.yaml") },
          ],
        },
        webhooks: [{ url: `${receiver.url}/budget`, secret: SECRET }],
      },
      {},
    );
    const server = await startServer({ config });
    try {
      const h = { authorization: `Bearer ${server.adminKey}`, "content-type": "application/json" };
      const record = (outputTokens: number) =>
        fetch(`${server.url}/v1/usage`, {
          method: "POST",
          headers: h,
          body: JSON.stringify({
            dimensions: { provider: "openai", model: "gpt-4o", component: "agent" },
            usage: { inputTokens: 100, outputTokens },
          }),
        });
      expect((await record(100)).status).toBe(201); // 200 of 1000 tokens: below 50%
      expect((await record(400)).status).toBe(201); // 700: crosses 50%
      expect((await record(100)).status).toBe(201); // 900: already crossed in this window
      await server.webhooks.idle();
      expect(receiver.requests).toHaveLength(1);
      const [req] = receiver.requests;
      if (!req) throw new Error("no delivery");
      expect(verifyWebhookSignature(SECRET, req.body, req.headers["x-budget-signature"] as string)).toBe(
        true,
      );
      const event = JSON.parse(req.body) as WebhookEvent & {
        data: { type: string; data: Record<string, unknown> };
      };
      expect(event.type).toBe("alert.threshold");
      expect(req.headers["x-budget-event"]).toBe("alert.threshold");
      expect(event.data.data).toMatchObject({
        budgetId: "team",
        limitId: "day",
        threshold: 0.5,
        usedTokens: 700,
      });
      expect(typeof event.data.data.usedCostUsd).toBe("string");

      // A price source that fails raises a source_failure alert outside the engine: it is delivered too.
      expect(
        (await fetch(`${server.url}/v1/prices/update`, { method: "POST", headers: h, body: "{}" })).status,
      ).toBe(200);
      await server.webhooks.idle();
      expect(receiver.requests.map((r) => r.headers["x-budget-event"])).toEqual([
        "alert.threshold",
        "alert.source_failure",
      ]);
      const metrics = await (await fetch(`${server.url}/metrics`, { headers: h })).text();
      expect(metrics).toMatch(
        /budget_webhook_deliveries_total\{webhook="127\.0\.0\.1:\d+",outcome="delivered"\} 2/,
      );
    } finally {
      await server.close();
      await receiver.close();
    }
  });
});
