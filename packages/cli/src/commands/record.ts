import type { RecordRequest } from "@budget/core";
import { totalTokens } from "@budget/core/basics";
import type { Command } from "@commander-js/extra-typings";
import type { CliRunner } from "../context.js";
import { formatCount, formatMoney } from "../output/format.js";
import { usageFrom } from "../parse/usage.js";
import { parseInstant } from "../parse/values.js";
import { callDimensions } from "./check.js";
import { addCallOptions } from "./usage-options.js";

/** `budget record`: add a call's usage to the ledger (a commit without a reservation). */
export function registerRecord(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  const cmd = program
    .command("record")
    .description("record a call's usage (counts against every matching budget; never denied)")
    .option("--idempotency-key <key>", "a retried record with the same key counts once")
    .option(
      "--time <when>",
      "when the call happened (ISO time, 2026-11-01T12:00, or e.g. 2h for 2 hours ago)",
    );
  addCallOptions(cmd as unknown as Command<unknown[], Record<string, unknown>>);
  cmd.action((opts) =>
    runner.run(async ({ ui, backend, now }) => {
      const o = opts as Record<string, unknown>;
      const req: RecordRequest = { dimensions: callDimensions(o), usage: usageFrom(o) };
      if (typeof o.costUsd === "string") req.costUsd = o.costUsd;
      if (o.batch === true) req.batch = true;
      if (opts.idempotencyKey) req.idempotencyKey = opts.idempotencyKey;
      if (opts.time)
        req.time = parseInstant(opts.time, Intl.DateTimeFormat().resolvedOptions().timeZone, now());
      const { client } = await backend();
      const result = await client.record(req);
      if (ui.json) return ui.printJson(result);
      const e = result.event;
      const what =
        result.status === "duplicate"
          ? ui.colors.yellow("duplicate (already recorded)")
          : ui.colors.green("recorded");
      ui.line(
        `${what} ${e.id}: ${formatMoney(e.costNanoUsd)}, ${formatCount(totalTokens(e.usage))} tokens` +
          (e.priceVersionId ? ` (price ${e.priceVersionId})` : ` (${e.pricing})`),
      );
      for (const a of result.alerts) ui.line(ui.colors.yellow(`  alert: ${a.message}`));
    }),
  );
}
