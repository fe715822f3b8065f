/**
 * `npm run demo`: runs the orchestrator example against a Budget service, so the service has real
 * runs, usage and alerts to show. With `BUDGET_URL` (and `BUDGET_API_KEY`) it uses that running
 * `budget serve`; otherwise it starts one on 127.0.0.1 (in memory unless `BUDGET_DB` says
 * otherwise) and keeps it serving until Ctrl-C (`--exit` stops it after the example).
 * The service prices with its bundled catalog, so calls name a real model (`DEMO_MODEL`,
 * default `gpt-4o-mini` from `openai`); the mock server answers whatever model is asked.
 */
import { loadConfig, startServer } from "@budget/server";
import { clientFor, runExample } from "./run.js";

const model = process.env.DEMO_MODEL ?? "gpt-4o-mini";
const provider = process.env.DEMO_PROVIDER ?? "openai";
// A suffix keeps run ids unique on a service that keeps its data between demos.
const runSuffix = `-${Date.now().toString(36)}`;

async function main() {
  const exitAfter = process.argv.includes("--exit");
  if (process.env.BUDGET_URL) {
    const client = await clientFor({ url: process.env.BUDGET_URL, apiKey: process.env.BUDGET_API_KEY });
    await runExample({ client, log: (l) => console.log(l), runSuffix, model, provider });
    return;
  }
  const config = loadConfig(process.env.BUDGET_CONFIG, {
    BUDGET_DB: ":memory:",
    BUDGET_LOG_LEVEL: "warn",
    ...process.env,
  });
  const server = await startServer({ config, handleSignals: !exitAfter });
  const apiKey = server.adminKey ?? process.env.BUDGET_ADMIN_KEY;
  if (!apiKey) {
    await server.close();
    throw new Error(
      "the service has an admin key already: set BUDGET_ADMIN_KEY (or BUDGET_URL and BUDGET_API_KEY)",
    );
  }
  try {
    const client = await clientFor({ url: server.url, apiKey });
    await runExample({ client, log: (l) => console.log(l), runSuffix, model, provider });
  } catch (err) {
    await server.close();
    throw err;
  }
  if (exitAfter) return server.close();
  console.log(`\nBudget service at ${server.url} (admin key: ${apiKey}); Ctrl-C to stop.`);
  console.log(`Try: curl -H "authorization: Bearer ${apiKey}" ${server.url}/v1/runs`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
