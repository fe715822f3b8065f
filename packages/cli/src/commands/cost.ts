import type { Command } from "@commander-js/extra-typings";
import type { CliRunner } from "../context.js";
import { CliError, EXIT } from "../exit-codes.js";
import { formatMoney, formatUsdExact } from "../output/format.js";
import { addUsageOptions, usageFrom } from "../parse/usage.js";
import { instantOption } from "./time-range.js";

/** `budget cost`: what would this usage cost, and with which price version. */
export function registerCost(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  const cmd = program
    .command("cost")
    .description("what would this usage cost? (exact, with the price version used)")
    .requiredOption("--model <model>", "the model, e.g. gpt-4o or bedrock/anthropic.claude-3-5-sonnet")
    .option("--provider <provider>", "the provider, when the model name alone is ambiguous")
    .option("--batch", "priced at the batch discount")
    .option("--at <when>", "price at this instant (default now): 2026-11-01T12:00Z, 2026-11-01, 7d");
  addUsageOptions(cmd as unknown as Command<unknown[], Record<string, unknown>>);
  cmd.action((opts) =>
    runner.run(async ({ ui, backend }) => {
      const { client } = await backend();
      const priced = await client.estimateCost({
        model: opts.model,
        usage: usageFrom(opts as Record<string, unknown>),
        ...(opts.provider ? { provider: opts.provider } : {}),
        ...(opts.batch ? { batch: true } : {}),
        ...(opts.at !== undefined ? { at: instantOption(opts.at) } : {}),
      });
      if (!priced.ok)
        throw new CliError(
          `no price for model ${opts.model}${opts.provider ? ` (${opts.provider})` : ""}`,
          EXIT.notFound,
          "unknown_model",
        );
      if (ui.json) return ui.printJson({ model: opts.model, ...priced });
      ui.line(
        `${ui.colors.bold(formatMoney(priced.costNanoUsd))}  (exact: ${formatUsdExact(priced.costNanoUsd)} USD)`,
      );
      ui.line(`  price version: ${priced.priceVersionId ?? "-"} (${priced.pricing})`);
    }),
  );
}
