import type { Command } from "@commander-js/extra-typings";
import type { CliRunner } from "../context.js";
import { CliError, EXIT } from "../exit-codes.js";
import { formatLocalTime } from "../output/format.js";
import { renderTable } from "../output/table.js";
import { parsePositive } from "../parse/values.js";

/** `budget alerts list|ack`: threshold crossings, denials, price changes, source failures. */
export function registerAlerts(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  const alerts = program.command("alerts").description("threshold, denial and price alerts");
  alerts
    .command("list", { isDefault: true })
    .description("list alerts, newest first (unacknowledged only unless --all)")
    .option("--all", "include acknowledged alerts")
    .option("--limit <n>", "at most this many", parsePositive, 50)
    .action((opts) =>
      runner.run(async ({ ui, backend }) => {
        const list = await (await backend()).alerts.list({
          unacknowledgedOnly: !opts.all,
          limit: opts.limit,
        });
        if (ui.json) return ui.printJson(list);
        if (list.length === 0)
          return ui.line(ui.colors.dim(opts.all ? "no alerts" : "no unacknowledged alerts"));
        const sev = (s: string) =>
          s === "critical" ? ui.colors.red(s) : s === "warning" ? ui.colors.yellow(s) : s;
        ui.line(
          renderTable(
            [
              { header: "Id" },
              { header: "Time" },
              { header: "Type" },
              { header: "Severity" },
              { header: "Message" },
              { header: "Ack" },
            ],
            list.map((a) => [
              a.id,
              formatLocalTime(a.time),
              a.type,
              sev(a.severity),
              a.message,
              a.acknowledgedAt === null ? "" : formatLocalTime(a.acknowledgedAt),
            ]),
            ui.colors,
          ),
        );
      }),
    );
  alerts
    .command("ack")
    .description("acknowledge an alert")
    .argument("<alert-id>", "the alert")
    .action((id) =>
      runner.run(async ({ ui, backend }) => {
        const ok = await (await backend()).alerts.ack(id);
        if (!ok)
          throw new CliError(`alert ${id} not found or already acknowledged`, EXIT.notFound, "not_found");
        if (ui.json) return ui.printJson({ id, acknowledged: true });
        ui.line(`acknowledged ${id}`);
      }),
    );
}
