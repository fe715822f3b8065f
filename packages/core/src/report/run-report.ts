import type { z } from "zod";
import { csvLine } from "../format/csv-field.js";
import type { RunRecord } from "../ports/store.js";
import type { runReportSchema } from "../wire/admin-schemas.js";
import type { UsageReport, UsageTotals } from "./usage-report.js";

/** A finished (or running) run with its usage: the JSON run report (its schema is the wire module's). */
export type RunReport = z.infer<typeof runReportSchema>;

/**
 * The run report: the run record (times as ISO strings) plus its usage in total, per worker,
 * per task and per model. JSON-safe: money is a USD decimal string.
 */
export function buildRunReport(run: RunRecord, usage: UsageReport): RunReport {
  const halt = run.summary.haltReason;
  return {
    run: {
      id: run.id,
      name: run.name,
      status: run.status,
      startedAt: new Date(run.startedAt).toISOString(),
      endedAt: run.endedAt === null ? null : new Date(run.endedAt).toISOString(),
      durationMs: run.endedAt === null ? null : run.endedAt - run.startedAt,
      haltReason: typeof halt === "string" ? halt : null,
      config: run.config,
    },
    total: usage.total,
    workers: usage.workers,
    tasks: usage.tasks,
    models: usage.models,
  };
}

const CSV_HEADER = ["run_id", "scope", "id", "tokens", "cost_usd", "requests", "events"];
/** Which of {@link CSV_HEADER}'s columns hold numbers. */
const NUMERIC_COLUMNS = [false, false, false, true, true, true, true];

/**
 * The run report as CSV: one row for the run total, then one per worker, task and model.
 *
 * @example
 * run_id,scope,id,tokens,cost_usd,requests,events
 * r1,run,r1,1200,0.001800000,4,4
 */
export function runReportToCsv(report: RunReport): string {
  const id = report.run.id;
  const row = (scope: string, key: string, t: UsageTotals) =>
    csvLine([id, scope, key, t.tokens, t.costUsd, t.requests, t.events], NUMERIC_COLUMNS);
  const lines = [
    CSV_HEADER.join(","),
    row("run", id, report.total),
    ...report.workers.map((w) => row("worker", w.workerId, w)),
    ...report.tasks.map((t) => row("task", t.taskId, t)),
    ...report.models.map((m) => row("model", m.model, m)),
  ];
  return `${lines.join("\r\n")}\r\n`;
}
