import type { Command } from "@commander-js/extra-typings";
import type { PriceUpdateOutcome } from "../backend/backend.js";
import type { CliRunner } from "../context.js";
import { CliError, EXIT, type ExitCode, usageError } from "../exit-codes.js";
import { formatLocalTime } from "../output/format.js";
import { createPhasedProgress } from "../output/progress.js";
import { renderTable } from "../output/table.js";
import type { Ui } from "../output/ui.js";
import { collect } from "../parse/values.js";
import { addRepriceCommand } from "./maintenance.js";
import { printDiff, printUpdate, type SourceDiff } from "./price-update-view.js";
import { describeResolution, describeVersion, priceTable } from "./price-view.js";
import { instantOption } from "./time-range.js";

/** Per source, whether it answered: an update's `sources`, or a local diff's entries. */
function sourceResults(report: PriceUpdateOutcome): { id: string; ok: boolean }[] {
  const list = Array.isArray(report.diff) ? report.diff : report.sources;
  return Array.isArray(list) ? (list as { id: string; ok: boolean }[]) : [];
}

/**
 * The exit code of an update or diff: 1 when every source failed (nothing was checked), else 0; a
 * partial failure is noted on stderr.
 */
export function sourcesExit(ui: Ui, report: PriceUpdateOutcome): ExitCode {
  const results = sourceResults(report);
  const failed = results.filter((r) => !r.ok).map((r) => r.id);
  if (results.length > 0 && failed.length === results.length) {
    ui.note(`budget: every price source failed (${failed.join(", ")}): nothing was checked`);
    return EXIT.error;
  }
  if (failed.length > 0)
    ui.note(`note: ${failed.length} of ${results.length} sources failed: ${failed.join(", ")}`);
  return EXIT.ok;
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
    .command("resolve")
    .description("what a (provider, model) name resolves to and why; exit 4 for an unknown model")
    .argument("<provider-or-model>", "the provider (e.g. azure_ai, bedrock), or the model alone")
    .argument("[model]", "the model name as the caller spells it")
    .option("--at <when>", "the instant (default now): 2026-11-01T12:00Z, 2026-11-01, 7d")
    .action((first, second, opts) =>
      runner.run(async ({ ui, backend }) => {
        const [provider, model] = second === undefined ? [undefined, first] : [first, second];
        const at = opts.at === undefined ? undefined : instantOption(opts.at);
        const r = await (await backend()).prices.resolve({
          model,
          ...(provider ? { provider } : {}),
          ...(at !== undefined ? { at } : {}),
        });
        if (ui.json) ui.printJson(r);
        else ui.line(describeResolution(r, ui.colors));
        // The resolution is the answer either way; the exit code tells scripts whether it is priced.
        return r.version ? EXIT.ok : EXIT.notFound;
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
          ? "what the price sources would change (fetches them, applies nothing)"
          : "fetch the price sources now; apply checked changes, hold suspicious ones for approval",
      )
      .option(
        "--source <spec>",
        "local: litellm, openrouter, genai-prices (=<url>) or file:<path> (repeatable)",
        collect,
      )
      .option("--all", "diff: list every changed field (default: the first 50)")
      .action((opts) =>
        runner.run(async ({ ui, backend }) => {
          const progress = createPhasedProgress(ui.stderrIsTTY && !ui.json);
          try {
            const report = await (await backend()).prices.update({
              dryRun,
              ...(opts.source ? { sources: opts.source } : {}),
              onProgress: (p) => progress.update(p),
            });
            progress.stop();
            if (ui.json) ui.printJson(report);
            else if (Array.isArray(report.diff))
              printDiff(ui, report.diff as SourceDiff[], opts.all === true);
            else printUpdate(ui, report, dryRun);
            return sourcesExit(ui, report);
          } finally {
            progress.stop();
          }
        }),
      );
  }
  for (const verb of ["approve", "reject"] as const) {
    prices
      .command(verb)
      .description(
        verb === "approve"
          ? "apply price changes held for approval: one by id, or in bulk by source, provider or update run"
          : "discard price changes held for approval: one by id, or in bulk by source, provider or update run",
      )
      .argument("[pending-id]", "the pending change (see `budget prices pending`)")
      .option("--source <id>", "every pending change from this price source")
      .option("--provider <provider>", "every pending change of this provider")
      .option("--run <update-run-id>", "every pending change of one update run (its report's runId)")
      .option("--all", "every pending change")
      .action((id, opts) =>
        runner.run(async ({ ui, backend }) => {
          const api = (await backend()).prices;
          const decision = verb === "approve" ? "approved" : "rejected";
          const filter = {
            ...(opts.source ? { sourceId: opts.source } : {}),
            ...(opts.provider ? { provider: opts.provider } : {}),
            ...(opts.run ? { runId: opts.run } : {}),
          };
          const bulk = Object.keys(filter).length > 0 || opts.all === true;
          if (bulk === (id !== undefined))
            throw usageError(`give a pending id, or --source, --provider, --run or --all (not both)`);
          if (bulk) {
            const out = await api.decideMany(decision, filter);
            if (ui.json) return ui.printJson({ decision, ...out });
            ui.line(
              `${decision} ${out.ids.length} price change(s)${out.skipped.length ? `, ${out.skipped.length} already decided` : ""}`,
            );
            return;
          }
          if (!(await api[verb](id!)))
            throw new CliError(`price change ${id} not found`, EXIT.notFound, "not_found");
          if (ui.json) return ui.printJson({ id, decision });
          ui.line(`${decision} ${id}`);
        }),
      );
  }
  addRepriceCommand(prices, runner);
}
