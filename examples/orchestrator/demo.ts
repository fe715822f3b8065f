/**
 * `npm run demo`: runs the orchestrator example against a Budget service, so the service has real
 * runs, usage and alerts to show. It reads the settings every Budget process reads: a service
 * already running on the configured URL (`BUDGET_URL`, else `BUDGET_HOST`/`BUDGET_PORT`/the
 * config file's address, default http://127.0.0.1:4100) is filled when `BUDGET_API_KEY` is set;
 * otherwise the demo starts its own on a free port and keeps it serving until Ctrl-C (`--exit`
 * stops it after the example). It says which. The service prices with its bundled catalog, so
 * calls name a real model (`DEMO_MODEL`, default `gpt-4o-mini` from `openai`); the mock server
 * answers whatever model is asked.
 */
import { connectDemoService } from "./demo-service.js";
import { runExample } from "./run.js";

const model = process.env.DEMO_MODEL ?? "gpt-4o-mini";
const provider = process.env.DEMO_PROVIDER ?? "openai";
// A suffix keeps run ids unique on a service that keeps its data between demos.
const runSuffix = `-${Date.now().toString(36)}`;

async function main() {
  const exitAfter = process.argv.includes("--exit");
  const service = await connectDemoService();
  console.log(service.said);
  try {
    await runExample({ client: service.client, log: (l) => console.log(l), runSuffix, model, provider });
  } catch (err) {
    await service.close();
    throw err;
  }
  if (service.attached || exitAfter) return service.close();
  const key = service.adminKey;
  console.log(`\nBudget service at ${service.url}${key ? ` (admin key: ${key})` : ""}; Ctrl-C to stop.`);
  if (key) console.log(`Try: curl -H "authorization: Bearer ${key}" ${service.url}/v1/runs`);
  const stop = () => void service.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
