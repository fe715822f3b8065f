import type { RunRecord } from "@budget/core";
import type { Command } from "@commander-js/extra-typings";
import type { CliRunner } from "../context.js";
import { CliError, EXIT } from "../exit-codes.js";
import { formatLocalTime, formatRelative } from "../output/format.js";
import { formatJson } from "../output/json.js";
import { renderTable } from "../output/table.js";
import type { Colors } from "../output/ui.js";
import { parsePositive } from "../parse/values.js";

function statusText(s: RunRecord["status"], colors: Colors): string {
  if (s === "completed") return colors.green(s);
  if (s === "running") return colors.cyan(s);
  return colors.red(s);
}

function duration(r: RunRecord, now: number): string {
  const end = r.endedAt ?? now;
  return formatRelative(r.startedAt, end).replace(/ ago$/, "");
}

/** `budget runs list|show`: orchestration runs and their final reports. */
export function registerRuns(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  const runs = program.command("runs").description("orchestration runs");
  runs
    .command("list", { isDefault: true })
    .description("list runs, newest first")
    .option("--limit <n>", "at most this many", parsePositive, 50)
    .action((opts) =>
      runner.run(async ({ ui, backend, now }) => {
        const { runs: list } = await (await backend()).client.listRuns({ limit: opts.limit });
        if (ui.json) return ui.printJson(list);
        if (list.length === 0) return ui.line(ui.colors.dim("no runs yet"));
        ui.line(
          renderTable(
            [
              { header: "Id" },
              { header: "Name" },
              { header: "Status" },
              { header: "Started" },
              { header: "Duration" },
            ],
            list.map((r) => [
              r.id,
              r.name,
              statusText(r.status, ui.colors),
              formatLocalTime(r.startedAt),
              duration(r, now()),
            ]),
            ui.colors,
          ),
        );
      }),
    );
  runs
    .command("report")
    .description("a run's report: tokens and cost in total, per worker, task and model")
    .argument("<run-id>", "the run")
    .option("--csv", "as CSV (one row for the run, then one per worker, task and model)")
    .action((id, opts) =>
      runner.run(async ({ ui, backend }) => {
        const client = (await backend()).client;
        const run = await client.getRun(id);
        if (!run) throw new CliError(`run ${id} not found`, EXIT.notFound, "not_found");
        // Core's reports are only needed here: loaded on use, not with every command.
        const { buildRunReport, buildUsageReport, runReportToCsv } = await import("@budget/core");
        const report = buildRunReport(run, await buildUsageReport(client, run.id));
        if (opts.csv) return ui.line(runReportToCsv(report).trimEnd());
        if (ui.json) return ui.printJson(report);
        ui.line(`${ui.colors.bold(run.id)} ${run.name} — ${statusText(run.status, ui.colors)}`);
        const rows = [
          ["run", run.id, report.total],
          ...report.workers.map((w) => ["worker", w.workerId, w] as const),
          ...report.tasks.map((t) => ["task", t.taskId, t] as const),
          ...report.models.map((m) => ["model", m.model, m] as const),
        ] as const;
        ui.line(
          renderTable(
            [
              { header: "Scope" },
              { header: "Id" },
              { header: "Tokens", align: "right" },
              { header: "Cost", align: "right" },
            ],
            rows.map(([scope, rid, t]) => [scope, String(rid), String(t.tokens), `$${t.costUsd}`]),
            ui.colors,
          ),
        );
      }),
    );
  runs
    .command("show")
    .description("show a run: its configuration and final report")
    .argument("<run-id>", "the run")
    .action((id) =>
      runner.run(async ({ ui, backend, now }) => {
        const run = await (await backend()).client.getRun(id);
        if (!run) throw new CliError(`run ${id} not found`, EXIT.notFound, "not_found");
        if (ui.json) return ui.printJson(run);
        ui.line(`${ui.colors.bold(run.id)} ${run.name} — ${statusText(run.status, ui.colors)}`);
        ui.line(
          `  started ${formatLocalTime(run.startedAt)}, ${run.endedAt === null ? "running for" : "took"} ${duration(run, now())}`,
        );
        ui.line(`  summary: ${formatJson(run.summary).replace(/\n/g, "\n  ")}`);
        ui.line(`  config:  ${formatJson(run.config).replace(/\n/g, "\n  ")}`);
      }),
    );
}
