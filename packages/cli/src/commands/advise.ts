import type { AdviceItem, SpendAdviceQuery } from "@budget/core";
import type { Command } from "@commander-js/extra-typings";
import type { CliRunner } from "../context.js";
import { addDimensionOptions, dimensionsFrom } from "../parse/dimensions.js";
import { parseCount } from "../parse/values.js";
import { addTimeRangeOptions, timeRangeFrom } from "./time-range.js";

/** The lines of one item: its title, its figures, how they were computed, the queries behind them. */
export function adviceLines(item: AdviceItem): string[] {
  const lines = [`[${item.kind}] ${item.title}`];
  const figures = Object.entries(item.figures).map(([k, v]) => `${k}=${v ?? "-"}`);
  lines.push(`  figures: ${figures.join(", ")}`);
  for (const a of item.alternatives ?? [])
    lines.push(
      `  → ${a.provider}/${a.model}: ${a.costUsd} USD, saving ${a.savingUsd} USD (${a.savingPct ?? "-"}%), price ${a.priceVersionId}`,
    );
  lines.push(`  how: ${item.method}`);
  for (const q of item.queries) lines.push(`  reproduce: ${q.cli}   (${q.http}; ${q.read})`);
  return lines;
}

/** `budget advise`: where the money went and how to spend less, from the ledger. */
export function registerAdvise(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  const cmd = program
    .command("advise")
    .description(
      "advice from the ledger: cheaper capable models, caching, batch, budgets running out, estimates",
    )
    .option(
      "--min-share <pct>",
      "a group is material from this share of spend, in percent (default 5)",
      parseCount,
    )
    .option("--alternatives <n>", "cheaper models listed per group (default 3)", parseCount);
  addTimeRangeOptions(cmd as unknown as Command<unknown[], Record<string, unknown>>);
  addDimensionOptions(cmd as unknown as Command<unknown[], Record<string, unknown>>);
  cmd.option("--model <model>", "only the ledger events of this model");
  cmd.action((opts) =>
    runner.run(async ({ ui, backend }) => {
      const { client } = await backend();
      const o = opts as Record<string, unknown>;
      const range = timeRangeFrom(o, Date.now());
      const q: SpendAdviceQuery = {};
      if (range.from !== undefined) q.from = range.from;
      if (range.to !== undefined) q.to = range.to;
      if (opts.minShare !== undefined) q.minSharePct = opts.minShare;
      if (opts.alternatives !== undefined) q.alternatives = opts.alternatives;
      const dims = { ...dimensionsFrom(o), ...(typeof o.model === "string" ? { model: o.model } : {}) };
      if (Object.keys(dims).length > 0) q.dimensions = dims;
      const advice = await client.advise(q);
      if (ui.json) return ui.printJson(advice);
      ui.line(
        `${new Date(advice.from).toISOString()} – ${new Date(advice.to).toISOString()}: ${advice.totalCostUsd} USD spent`,
      );
      for (const m of advice.material)
        ui.line(
          `  ${Object.values(m.scope)
            .map((v) => v ?? "-")
            .join(" / ")}: ${m.costUsd} USD (${m.sharePct}%)`,
        );
      if (advice.items.length === 0) ui.line(ui.colors.dim("no advice for this range"));
      for (const item of advice.items) for (const line of adviceLines(item)) ui.line(line);
    }),
  );
}
