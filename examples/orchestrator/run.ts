import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createBudgetClient } from "@budget/client";
import {
  type BudgetClient,
  buildRunReport,
  createBudgetEngine,
  createMemoryStore,
  runReportToCsv,
} from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { startMockOpenAI } from "@budget/integrations/testing";
import OpenAI from "openai";
import { runOrchestration } from "./orchestrator.js";
import { SOFT_CONFIG, STRICT_CONFIG, TASKS, WORKERS } from "./scenario.js";

/** Options of {@link runExample}. */
export interface ExampleOptions {
  client: BudgetClient;
  log: (line: string) => void;
  /** Appended to the run ids, so a persistent service can run the example more than once. */
  runSuffix?: string;
  model?: string;
  provider?: string;
}

/**
 * Runs the example: a strict run halted by its budget, then a soft run that warns and completes,
 * both calling a mock OpenAI-compatible server through the real `openai` client.
 */
export async function runExample(options: ExampleOptions): Promise<void> {
  const { client, log } = options;
  const mock = await startMockOpenAI();
  try {
    const openai = new OpenAI({ baseURL: mock.baseURL, apiKey: "mock", maxRetries: 0 });
    const common = {
      client,
      openai,
      workers: WORKERS,
      tasks: TASKS,
      model: options.model ?? "test-model",
      provider: options.provider ?? "test",
      log,
    };
    const suffix = options.runSuffix ?? "";
    for (const [runId, name, config] of [
      [`strict-demo${suffix}`, "strict run", STRICT_CONFIG],
      [`soft-demo${suffix}`, "soft run", SOFT_CONFIG],
    ] as const) {
      log(`== ${name} ${runId}: ${JSON.stringify(config)}`);
      const { run, usage } = await runOrchestration({ ...common, runId, name, config });
      log("report (CSV):");
      for (const line of runReportToCsv(buildRunReport(run, usage)).trimEnd().split("\r\n")) log(`  ${line}`);
      log("");
    }
    const { runs } = await client.listRuns({ limit: 10 });
    const ours = runs.filter((r) => r.id.endsWith(suffix) && r.id.includes("-demo"));
    log(`runs stored: ${ours.map((r) => `${r.id} (${r.status})`).join(", ")}`);
  } finally {
    await mock.close();
  }
}

/** The budget client: the in-process engine (memory store, test prices), or a remote service. */
export async function clientFor(args: {
  url?: string | undefined;
  apiKey?: string | undefined;
}): Promise<BudgetClient> {
  if (!args.url) return createBudgetEngine({ store: createMemoryStore(), catalog: createTestCatalog() });
  return createBudgetClient({ url: args.url, ...(args.apiKey ? { apiKey: args.apiKey } : {}) });
}

async function main() {
  const { values } = parseArgs({
    options: {
      url: { type: "string" },
      "api-key": { type: "string" },
      "run-suffix": { type: "string" },
      model: { type: "string" },
      provider: { type: "string" },
    },
  });
  const client = await clientFor({
    url: values.url,
    apiKey: values["api-key"] ?? process.env.BUDGET_API_KEY,
  });
  await runExample({
    client,
    log: (line) => console.log(line),
    ...(values["run-suffix"] ? { runSuffix: values["run-suffix"] } : {}),
    ...(values.model ? { model: values.model } : {}),
    ...(values.provider ? { provider: values.provider } : {}),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
