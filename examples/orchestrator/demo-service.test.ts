import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig, startServer } from "@budget/server";
import { afterAll, describe, expect, it } from "vitest";
import { connectDemoService } from "./demo-service.js";

const dir = mkdtempSync(join(tmpdir(), "budget-demo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const QUIET = { BUDGET_LOG_LEVEL: "silent" };

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

describe("npm run demo finds its service with the shared settings", { timeout: 60_000 }, () => {
  it("attaches to a service on the configured port when a key is set, else starts its own and says why", async () => {
    const running = await startServer({
      config: parseConfig(
        { server: { port: 0 }, database: { file: ":memory:" }, logging: { level: "silent" } },
        {},
      ),
    });
    try {
      const port = String(running.port);
      const attached = await connectDemoService({
        ...QUIET,
        BUDGET_PORT: port,
        BUDGET_API_KEY: running.adminKey!,
      });
      expect([attached.attached, attached.url]).toEqual([true, running.url]);
      expect(attached.said).toBe(`Attached to the Budget service already running at ${running.url}.`);
      await attached.client.upsertBudget({
        id: "seen-by-both",
        limits: [{ id: "l", window: { type: "day" }, tokens: 10 }],
      });
      expect(await running.engine.getBudget("seen-by-both")).not.toBeNull();

      const own = await connectDemoService({ ...QUIET, BUDGET_PORT: port });
      try {
        expect(own.attached).toBe(false);
        expect(own.url).not.toBe(running.url);
        expect(own.said).toBe(
          `Started its own Budget service at ${own.url} (SQLite in memory): a Budget service runs at ${running.url}, but no BUDGET_API_KEY is set to fill it.`,
        );
        expect(await own.client.getBudget("seen-by-both")).toBeNull();
      } finally {
        await own.close();
      }
    } finally {
      await running.close();
    }
  });

  it("with nothing running, opens the configured store on a free port; a second start gets a writer key", async () => {
    const port = String(await freePort());
    const db = join(dir, "demo.db");
    const env = { ...QUIET, BUDGET_PORT: port, BUDGET_DB: db };
    const first = await connectDemoService(env);
    expect(first.said).toBe(
      `Started its own Budget service at ${first.url} (SQLite ${db}): nothing answers at http://127.0.0.1:${port}.`,
    );
    expect(first.adminKey).toMatch(/^bgt_/);
    await first.close();
    const second = await connectDemoService(env);
    try {
      expect(second.adminKey).toBeNull();
      // The store's admin key exists already: the demo runs as a writer, as the README allows —
      // a run's budgets belong to the key that started the run.
      await second.client.startRun({ id: "x", name: "x" });
      await second.client.upsertBudget({
        id: "run:x",
        scope: { run: "x" },
        limits: [{ id: "l", window: { type: "lifetime" }, tokens: 5 }],
      });
    } finally {
      await second.close();
    }
  });

  it("refuses a BUDGET_URL that does not answer, and tells a foreign server from a Budget service", async () => {
    const port = await freePort();
    await expect(connectDemoService({ ...QUIET, BUDGET_URL: `http://127.0.0.1:${port}` })).rejects.toThrow(
      /BUDGET_URL=.*no Budget service answers there/,
    );
    const foreign = createServer((_req, res) => res.writeHead(404).end("nope"));
    await new Promise<void>((r) => foreign.listen(0, "127.0.0.1", r));
    try {
      const fport = (foreign.address() as { port: number }).port;
      const own = await connectDemoService({ ...QUIET, BUDGET_PORT: String(fport) });
      await own.close();
      expect(own.said).toMatch(/: http:\/\/127\.0\.0\.1:\d+ answers, but not as a Budget service\.$/);
    } finally {
      foreign.close();
    }
  });
});
