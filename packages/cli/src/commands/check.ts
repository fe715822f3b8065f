import type { Dimensions, ReserveRequest } from "@budget/core";
import type { Command } from "@commander-js/extra-typings";
import { Option } from "../commander.js";
import type { CliRunner } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { formatCount, formatLocalTime, formatMoney } from "../output/format.js";
import { dimensionsFrom } from "../parse/dimensions.js";
import { usageFrom } from "../parse/usage.js";
import { parseDuration } from "../parse/values.js";
import { describeDenial } from "./denial-view.js";
import { addCallOptions } from "./usage-options.js";

/** The dimensions of a call from its flags (`--model` included). */
export function callDimensions(opts: Record<string, unknown>): Dimensions {
  const dims = dimensionsFrom(opts);
  if (typeof opts.model === "string") dims.model = opts.model;
  return dims;
}

/** `budget check`: would this call be allowed? Reserves and releases at once (or holds with --hold). */
export function registerCheck(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  const cmd = program
    .command("check")
    .description("would this call be allowed? (reserve + immediate release; --hold keeps the reservation)")
    .option("--hold", "keep the reservation and print its id (commit or release it later)")
    .option("--ttl <duration>", "with --hold: how long the reservation lives, e.g. 10m", parseDuration)
    .option("--idempotency-key <key>", "with --hold: a retried check returns the same reservation")
    .addOption(
      new Option(
        "--priority <priority>",
        "high and critical may use a limit's priority share; critical may pass a soft limit",
      ).choices(["low", "normal", "high", "critical"] as const),
    );
  addCallOptions(cmd as unknown as Command<unknown[], Record<string, unknown>>);
  cmd.action((opts) =>
    runner.run(async ({ ui, backend, now }) => {
      const o = opts as Record<string, unknown>;
      const req: ReserveRequest = { dimensions: callDimensions(o), estimate: usageFrom(o) };
      if (typeof o.costUsd === "string") req.costUsd = o.costUsd;
      if (o.batch === true) req.batch = true;
      if (opts.priority) req.priority = opts.priority;
      if (opts.ttl !== undefined) req.ttlMs = opts.ttl;
      if (opts.idempotencyKey) req.idempotencyKey = opts.idempotencyKey;
      const { client } = await backend();
      const result = await client.reserve(req);
      if (result.status === "denied") {
        if (ui.json) ui.printJson(result);
        else ui.line(describeDenial(result.denial, ui.colors, now()));
        return EXIT.denied;
      }
      if (!opts.hold) await client.release(result.reservationId);
      if (ui.json) return ui.printJson({ ...result, held: opts.hold === true });
      const est = result.estimate;
      ui.line(
        `${ui.colors.green(ui.colors.bold("allowed"))}: estimate ${formatMoney(est.costNanoUsd)}, ${formatCount(est.tokens)} tokens` +
          (result.priceVersionId ? ` (price ${result.priceVersionId})` : ""),
      );
      if (result.budgetIds.length > 0) ui.line(`  budgets: ${result.budgetIds.join(", ")}`);
      if (result.fallbackModel)
        ui.line(ui.colors.yellow(`  use the fallback model: ${result.fallbackModel}`));
      for (const w of result.warnings) ui.line(ui.colors.yellow(`  warning: ${w.message}`));
      if (opts.hold)
        ui.line(`  reservation ${result.reservationId} held until ${formatLocalTime(result.expiresAt)}`);
    }),
  );
}
