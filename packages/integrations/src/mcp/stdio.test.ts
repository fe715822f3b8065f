import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseConfig, startServer } from "@budget/server";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { describe, expect, it } from "vitest";
import { startStdioMcpServer } from "./stdio.js";

const entry = fileURLToPath(new URL("./stdio.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../../../../node_modules/.bin/tsx", import.meta.url));

describe("MCP server on stdio", () => {
  it("refuses to start without BUDGET_URL", async () => {
    await expect(startStdioMcpServer({})).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("answers a real MCP client, spawned as a process, from a real Budget server", async () => {
    const dir = mkdtempSync(join(tmpdir(), "budget-mcp-"));
    const config = parseConfig(
      {
        server: { port: 0 },
        database: { file: join(dir, "budget.db") },
        logging: { level: "silent" },
        budgets: [{ id: "team", limits: [{ id: "m", window: { type: "month" }, cost: "100" }] }],
      },
      {},
    );
    const budget = await startServer({ config });
    const client = new Client({ name: "test", version: "1.0.0" });
    try {
      const transport = new StdioClientTransport({
        command: tsx,
        args: ["--conditions=@budget/source", entry],
        env: { PATH: process.env.PATH ?? "", BUDGET_URL: budget.url, BUDGET_API_KEY: budget.adminKey ?? "" },
        stderr: "pipe",
      });
      await client.connect(transport);
      const r = await client.callTool({
        name: "estimate_cost",
        arguments: { model: "gpt-4o", usage: { inputTokens: 1_000_000 } },
      });
      expect(r.structuredContent).toMatchObject({
        priced: true,
        priceVersionId: expect.stringMatching(/gpt-4o/),
      });
      const s = await client.callTool({ name: "get_status", arguments: {} });
      expect(s.structuredContent).toMatchObject({
        limits: [expect.objectContaining({ budgetId: "team", limit: { costUsd: "100.000000000" } })],
      });
    } finally {
      await client.close();
      await budget.close();
    }
  });
});
