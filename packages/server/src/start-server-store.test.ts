import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { parseConfig } from "./config/load-config.js";
import { startServer } from "./start-server.js";

function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "info" }, { write: (l: string) => lines.push(JSON.parse(l)) });
  return { logger, lines };
}

describe("startServer says where it is", () => {
  it("logs the store it opened first, and refuses a port in use with a hint at BUDGET_PORT", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "budget-where-")), "budget.db");
    const config = parseConfig({ server: { port: 0 }, database: { file } }, {});
    const { logger, lines } = capturingLogger();
    const first = await startServer({ config, logger });
    try {
      expect(first.storeDescription).toBe(`SQLite ${file}`);
      expect(lines[0]).toMatchObject({
        msg: `opened SQLite ${file}`,
        store: "sqlite",
        where: `SQLite ${file}`,
      });
      const taken = parseConfig({ server: { port: first.port }, database: { file: ":memory:" } }, {});
      const err = await startServer({ config: taken, logger: capturingLogger().logger }).catch(
        (e: unknown) => e,
      );
      expect(err).toMatchObject({
        code: "conflict",
        details: { port: first.port, reason: "address_in_use" },
      });
      expect((err as Error).message).toMatch(
        new RegExp(`port ${first.port} on 127\\.0\\.0\\.1 is already in use.*BUDGET_PORT`),
      );
    } finally {
      await first.close();
    }
  });
});
