import { readFileSync } from "node:fs";
import type { PriceVersion } from "@budget/core";
import type { Command } from "@commander-js/extra-typings";
import type { CliRunner } from "../context.js";
import { usageError } from "../exit-codes.js";
import { addDimensionOptions, dimensionsFrom } from "../parse/dimensions.js";
import { parseInstant } from "../parse/values.js";
import { timeRangeFrom } from "./time-range.js";

/** `budget reconcile [--repair]`: recompute every counter from the ledger and report drift. */
export function registerReconcile(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  program
    .command("reconcile")
    .description("recompute every budget counter from the ledger; report (and with --repair, fix) drift")
    .option("--repair", "write the ledger's sums back into drifted counters")
    .action((opts) =>
      runner.run(async ({ ui, backend }) => {
        const result = await (await backend()).maintenance.reconcile(opts.repair === true);
        if (ui.json) return ui.printJson(result);
        for (const d of result.drift) {
          ui.line(
            `${ui.colors.yellow("drift")} ${d.key}: counter ${d.stored.tokens} tokens $${d.stored.costUsd}, ledger ${d.ledger.tokens} tokens $${d.ledger.costUsd}`,
          );
        }
        // Slices (ADR 0010): already in the totals compared above; this is what they hold apart.
        for (const s of result.slices ?? []) {
          const amount = (a: { tokens: number; costUsd: string }) => `${a.tokens} tokens $${a.costUsd}`;
          ui.line(
            `${ui.colors.cyan("sliced")} ${s.key}: ${s.slices} slice${s.slices === 1 ? "" : "s"} granted ${amount(s.granted)}, held by reservations ${amount(s.held)}, counted but not yet settled into the counter ${amount(s.unsettled)}`,
          );
        }
        const verdict =
          result.drift.length === 0 ? ui.colors.green("no drift") : `${result.drift.length} counters drifted`;
        const skipped = result.skipped
          ? `; ${result.skipped} counters of windows older than the retention horizon not checked`
          : "";
        ui.line(
          `${verdict} over ${result.events} events${result.repaired && result.drift.length ? "; repaired" : ""}${skipped}`,
        );
      }),
    );
}

/** Reads a `--prices` file: a non-empty JSON array of price versions (zod loaded only when used). */
async function readPriceFile(file: string): Promise<PriceVersion[]> {
  const [{ priceVersionSchema }, { z }] = await Promise.all([import("@budget/core"), import("zod")]);
  const parsed = z
    .array(priceVersionSchema)
    .min(1)
    .safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success)
    throw usageError(
      `--prices: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

/** `budget prices reprice`: what a time range would cost under other prices; `--apply` writes adjustments. */
export function addRepriceCommand(prices: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  const cmd = prices
    .command("reprice")
    .description(
      "what a time range would cost under other prices (a dry run); --apply appends adjustment events",
    )
    .requiredOption("--from <when>", "start, inclusive (2026-11-01, an ISO time, or 7d)")
    .requiredOption("--to <when>", "end, exclusive")
    .option("--timezone <iana>", "time zone of dates without an offset (default UTC)")
    .option("--at <when>", "price the range as the catalog stood at this instant")
    .option("--prices <file>", "a JSON array of price versions to apply as if always in force")
    .option("--model <model>", "only this model's events")
    .option("--apply", "append the adjustment events (each counted once, even if applied again)");
  addDimensionOptions(cmd as unknown as Command<unknown[], Record<string, unknown>>);
  cmd.action((opts) =>
    runner.run(async ({ ui, backend }) => {
      const now = Date.now();
      const { from, to, timezone } = timeRangeFrom(opts, now);
      if (from === undefined || to === undefined) throw usageError("--from and --to are required");
      if ((opts.at === undefined) === (opts.prices === undefined))
        throw usageError("give exactly one of --at and --prices");
      let target: { at: number } | { prices: PriceVersion[] };
      if (opts.at !== undefined) {
        target = { at: parseInstant(opts.at, timezone, now) };
      } else {
        target = { prices: await readPriceFile(String(opts.prices)) };
      }
      const dimensions = { ...dimensionsFrom(opts), ...(opts.model ? { model: opts.model } : {}) };
      const summary = await (await backend()).maintenance.reprice({
        from,
        to,
        target,
        apply: opts.apply === true,
        ...(Object.keys(dimensions).length ? { dimensions } : {}),
      });
      if (ui.json) return ui.printJson(summary);
      const t = summary.totals;
      ui.line(
        `${t.events} events: $${t.oldCostUsd} → $${t.newCostUsd} (${t.deltaUsd.startsWith("-") ? "" : "+"}$${t.deltaUsd})`,
      );
      ui.line(`${summary.changed} costs change, ${summary.skipped} events left as they are`);
      if (summary.applied)
        ui.line(
          `applied: ${summary.applied.recorded} adjustment events, ${summary.applied.duplicates} already applied`,
        );
      else ui.line(ui.colors.dim("dry run: nothing written (add --apply)"));
    }),
  );
}
