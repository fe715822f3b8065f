import type { Command } from "@commander-js/extra-typings";
import type { PriceUpdateOutcome } from "../backend/backend.js";
import type { CliRunner } from "../context.js";
import { CliError, EXIT } from "../exit-codes.js";
import { formatLocalTime } from "../output/format.js";
import { renderTable } from "../output/table.js";
import type { Ui } from "../output/ui.js";
import { describeVersion, priceTable } from "./price-view.js";

function printUpdate(ui: Ui, r: PriceUpdateOutcome, dryRun: boolean): void {
  const verb = dryRun ? "would apply" : "applied";
  for (const s of r.sources ?? [])
    ui.line(
      `  source ${s.id}: ${s.ok ? ui.colors.green("ok") : ui.colors.red(`refused (${s.reason ?? "error"}): ${s.error ?? ""}`)}, ${s.quotes} quotes`,
    );
  const changes = [
    ...(r.applied ?? []).map((a) => [
      verb,
      a.provider,
      a.model,
      a.changes.map((c) => `${c.field} ${c.from ?? "-"} → ${c.to ?? "-"}`).join("; "),
    ]),
    ...(r.quarantined ?? []).map((q) => [
      ui.colors.yellow(`pending ${q.pendingId}`),
      q.provider,
      q.model,
      q.reason,
    ]),
  ];
  if (changes.length > 0)
    ui.line(
      renderTable(
        [{ header: "Action" }, { header: "Provider" }, { header: "Model" }, { header: "Change" }],
        changes,
        ui.colors,
      ),
    );
  ui.line(
    `${(r.applied ?? []).length} ${verb}, ${(r.quarantined ?? []).length} held for approval, ${r.unchanged ?? 0} unchanged, ${(r.rejected ?? []).length} sources refused`,
  );
}

/** `budget prices list|show|history|pending|update|diff|approve|reject`: the price catalog. */
export function registerPrices(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  const prices = program
    .command("prices")
    .description("the price catalog: versions over time, updates, approvals");
  prices
    .command("list", { isDefault: true })
    .description("price versions in force now (USD per million tokens)")
    .option("--provider <provider>", "only this provider")
    .option("--model <text>", "only models whose id contains this")
    .action((opts) =>
      runner.run(async ({ ui, backend }) => {
        const q = {
          ...(opts.provider ? { provider: opts.provider } : {}),
          ...(opts.model ? { model: opts.model } : {}),
        };
        const list = await (await backend()).prices.list(q);
        if (ui.json) return ui.printJson(list);
        ui.line(priceTable(list, ui.colors, false));
        ui.line(ui.colors.dim(`${list.length} models`));
      }),
    );
  prices
    .command("show")
    .description("the price a model name resolves to now (aliases, dated ids and provider prefixes included)")
    .argument("<model>", "e.g. gpt-4o, claude-3-5-sonnet-latest, bedrock/anthropic.claude-3-haiku")
    .option("--provider <provider>", "the provider, when the name alone is ambiguous")
    .action((model, opts) =>
      runner.run(async ({ ui, backend }) => {
        const v = await (await backend()).prices.show({
          model,
          ...(opts.provider ? { provider: opts.provider } : {}),
        });
        if (!v) throw new CliError(`no price for ${model}`, EXIT.notFound, "not_found");
        if (ui.json) return ui.printJson(v);
        ui.line(describeVersion(v, ui.colors));
      }),
    );
  prices
    .command("history")
    .description("every version of a model's price, oldest first")
    .argument("<model>", "the model")
    .option("--provider <provider>", "the provider")
    .action((model, opts) =>
      runner.run(async ({ ui, backend }) => {
        const list = await (await backend()).prices.history({
          model,
          ...(opts.provider ? { provider: opts.provider } : {}),
        });
        if (list.length === 0) throw new CliError(`no price for ${model}`, EXIT.notFound, "not_found");
        if (ui.json) return ui.printJson(list);
        ui.line(priceTable(list, ui.colors, true));
      }),
    );
  prices
    .command("pending")
    .description("price changes held for approval")
    .action(() =>
      runner.run(async ({ ui, backend }) => {
        const list = await (await backend()).prices.pending();
        if (ui.json) return ui.printJson(list);
        if (list.length === 0) return ui.line(ui.colors.dim("no price changes awaiting approval"));
        ui.line(
          renderTable(
            [
              { header: "Id" },
              { header: "Since" },
              { header: "Provider" },
              { header: "Model" },
              { header: "Why" },
            ],
            list.map((p) => [
              p.id,
              formatLocalTime(p.createdAt),
              p.provider,
              p.model,
              String(p.evidence.reason ?? ""),
            ]),
            ui.colors,
          ),
        );
      }),
    );
  for (const dryRun of [false, true]) {
    prices
      .command(dryRun ? "diff" : "update")
      .description(
        dryRun
          ? "what an update would change (fetches the sources, applies nothing)"
          : "fetch the price sources now; apply checked changes, hold suspicious ones",
      )
      .action(() =>
        runner.run(async ({ ui, backend }) => {
          const report = await (await backend()).prices.update({ dryRun });
          if (ui.json) return ui.printJson(report);
          printUpdate(ui, report, dryRun);
        }),
      );
  }
  for (const verb of ["approve", "reject"] as const) {
    prices
      .command(verb)
      .description(
        verb === "approve"
          ? "apply a price change held for approval"
          : "discard a price change held for approval",
      )
      .argument("<pending-id>", "the pending change (see `budget prices pending`)")
      .action((id) =>
        runner.run(async ({ ui, backend }) => {
          const api = (await backend()).prices;
          if (!(await api[verb](id)))
            throw new CliError(`price change ${id} not found`, EXIT.notFound, "not_found");
          if (ui.json) return ui.printJson({ id, decision: verb === "approve" ? "approved" : "rejected" });
          ui.line(`${verb === "approve" ? "approved" : "rejected"} ${id}`);
        }),
      );
  }
}
