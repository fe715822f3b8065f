import type { BudgetClient } from "../engine/engine.js";
import type { ReportRow } from "../engine/requests.js";
import { formatUsd } from "../money/nano-usd.js";

/** Tokens, cost (USD decimal string), requests and calls of one group. */
export interface UsageTotals {
  tokens: number;
  costUsd: string;
  requests: number;
  events: number;
}

/** A run's usage, from the ledger: in total, per worker, per task and per model (sorted by id). */
export interface UsageReport {
  runId: string;
  /** Epoch ms the counting starts from (the last reset), null: the whole run. */
  from: number | null;
  total: UsageTotals;
  workers: ({ workerId: string } & UsageTotals)[];
  tasks: ({ taskId: string } & UsageTotals)[];
  models: ({ model: string } & UsageTotals)[];
}

const NO_VALUE = "(none)";

function totalsOf(rows: ReportRow[]): UsageTotals {
  let cost = 0n;
  const t = { tokens: 0, requests: 0, events: 0 };
  for (const r of rows) {
    t.tokens += r.tokens;
    t.requests += r.requests;
    t.events += r.events;
    cost += r.costNanoUsd;
  }
  return { ...t, costUsd: formatUsd(cost) };
}

async function grouped(
  client: BudgetClient,
  runId: string,
  dimension: "worker" | "task" | "model",
  from: number | null,
) {
  const rows = await client.report({
    groupBy: [dimension],
    dimensions: { run: runId },
    ...(from !== null ? { from } : {}),
  });
  const out = new Map<string, ReportRow[]>();
  for (const r of rows) {
    const key = r.group[dimension] ?? NO_VALUE;
    out.set(key, [...(out.get(key) ?? []), r]);
  }
  return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A run's usage report, computed from the ledger by the budget service (so every process's
 * calls count). `from` limits it to usage since then (the run budget's last reset).
 */
export async function buildUsageReport(
  client: BudgetClient,
  runId: string,
  from: number | null = null,
): Promise<UsageReport> {
  const [workers, tasks, models] = await Promise.all([
    grouped(client, runId, "worker", from),
    grouped(client, runId, "task", from),
    grouped(client, runId, "model", from),
  ]);
  return {
    runId,
    from,
    total: totalsOf(workers.flatMap(([, rows]) => rows)),
    workers: workers.map(([workerId, rows]) => ({ workerId, ...totalsOf(rows) })),
    tasks: tasks.map(([taskId, rows]) => ({ taskId, ...totalsOf(rows) })),
    models: models.map(([model, rows]) => ({ model, ...totalsOf(rows) })),
  };
}
