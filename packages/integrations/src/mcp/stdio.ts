import { pathToFileURL } from "node:url";
import { createBudgetClient } from "@budget/client";
import { BudgetError } from "@budget/core";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createBudgetMcpServer } from "./create-server.js";

/**
 * Starts the Budget MCP server on stdio against a Budget service: `BUDGET_URL` (required) and
 * `BUDGET_API_KEY`. Register it in an MCP host as e.g.
 * `{ "command": "npx", "args": ["tsx", "packages/integrations/src/mcp/stdio.ts"], "env": { "BUDGET_URL": "http://127.0.0.1:4100" } }`.
 */
export async function startStdioMcpServer(
  env: NodeJS.ProcessEnv = process.env,
): Promise<() => Promise<void>> {
  const url = env.BUDGET_URL;
  if (!url) throw new BudgetError("invalid_input", "BUDGET_URL is required (e.g. http://127.0.0.1:4100)");
  const client = createBudgetClient({ url, apiKey: env.BUDGET_API_KEY });
  const server = createBudgetMcpServer({ client });
  await server.connect(new StdioServerTransport());
  return () => server.close();
}

// Run directly (not imported): stdout belongs to the protocol, so failures go to stderr.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startStdioMcpServer().catch((err: unknown) => {
    process.stderr.write(`budget mcp: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
