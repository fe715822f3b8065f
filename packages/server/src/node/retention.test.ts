import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeUsage } from "@budget/core";
import { createSqliteStore } from "@budget/store";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/load-config.js";
import { startServer } from "../start-server.js";

describe("event retention", () => {
  it("deletes raw events past the retention period on start; rollups keep the history", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "budget-retention-")), "budget.db");
    const store = await createSqliteStore({ file });
    const day = 86_400_000;
    for (const [key, age] of [
      ["old", 3 * day],
      ["new", day / 2],
    ] as const) {
      await store.commit(
        {
          id: `evt_${key}`,
          kind: "usage",
          time: Date.now() - age,
          dimensions: { model: "gpt-4o", provider: "openai" },
          usage: makeUsage({ inputTokens: 100 }),
          costNanoUsd: 250n,
          priceVersionId: null,
          pricing: "explicit",
          reservationId: null,
          idempotencyKey: key,
        },
        [],
      );
    }
    await store.close();
    const server = await startServer({
      config: parseConfig(
        { server: { port: 0 }, database: { file, eventRetentionDays: 1 }, logging: { level: "silent" } },
        {},
      ),
    });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const events = (await server.store.listEvents({})).events.map((e) => e.idempotencyKey);
      expect(events).toEqual(["new"]);
      const rollups = await (
        server.store as unknown as { rollupReport(q: object): Promise<{ events: number }[]> }
      ).rollupReport({
        from: 0,
        to: Date.now() + day,
        groupBy: ["model"],
        bucket: "month",
      });
      expect(rollups.reduce((s, r) => s + Number(r.events), 0)).toBe(2);
    } finally {
      await server.close();
    }
  });
});
