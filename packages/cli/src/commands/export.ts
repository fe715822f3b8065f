import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Writable } from "node:stream";
import type { UsageEvent } from "@budget/core";
import type { Command } from "@commander-js/extra-typings";
import { Option } from "../commander.js";
import type { CliRunner } from "../context.js";
import { createProgress } from "../output/progress.js";
import { addDimensionOptions, dimensionsFrom } from "../parse/dimensions.js";
import { addTimeRangeOptions, timeRangeFrom } from "./time-range.js";

type Format = "csv" | "json" | "ndjson";

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, "drain");
}

/** Streams events as CSV (header + rows), a JSON array, or one JSON object per line. */
async function writeEvents(
  out: Writable,
  format: Format,
  events: AsyncIterable<UsageEvent>,
  onEvent: () => void,
): Promise<number> {
  // The CSV columns come from @budget/core: loaded when exporting, not with every command.
  const { EVENT_CSV_COLUMNS, eventCsvLine, eventJson } = await import("../output/event-rows.js");
  let n = 0;
  if (format === "csv") await write(out, `${EVENT_CSV_COLUMNS.join(",")}\n`);
  if (format === "json") await write(out, "[");
  for await (const e of events) {
    if (format === "csv") await write(out, `${eventCsvLine(e)}\n`);
    else if (format === "ndjson") await write(out, `${JSON.stringify(eventJson(e))}\n`);
    else await write(out, `${n === 0 ? "\n" : ",\n"}  ${JSON.stringify(eventJson(e))}`);
    n += 1;
    onEvent();
  }
  if (format === "json") await write(out, n === 0 ? "]\n" : "\n]\n");
  return n;
}

/** `budget export`: the ledger's usage events as CSV or JSON, streamed, with a progress bar on a terminal. */
export function registerExport(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  const cmd = program
    .command("export")
    .description("export usage events (CSV, JSON or NDJSON; money as exact USD decimals)")
    .addOption(
      new Option("--format <format>", "output format (default csv; json with --json)").choices([
        "csv",
        "json",
        "ndjson",
      ] as const),
    )
    .option("--out <file>", "write to a file instead of stdout")
    .option("--model <model>", "only this model");
  addTimeRangeOptions(cmd as unknown as Command<unknown[], Record<string, unknown>>);
  addDimensionOptions(cmd as unknown as Command<unknown[], Record<string, unknown>>);
  cmd.action((opts) =>
    runner.run(async ({ ui, backend, now }) => {
      const o = opts as Record<string, unknown>;
      const range = timeRangeFrom(o, now());
      const dimensions = dimensionsFrom(o);
      if (opts.model) dimensions.model = opts.model;
      const query = {
        ...(range.from !== undefined ? { from: range.from } : {}),
        ...(range.to !== undefined ? { to: range.to } : {}),
        ...(Object.keys(dimensions).length > 0 ? { dimensions } : {}),
      };
      const b = await backend();
      const showProgress = ui.stderrIsTTY && (opts.out !== undefined || !process.stdout.isTTY);
      const total = showProgress ? (await b.client.report(query)).reduce((s, r) => s + r.events, 0) : 0;
      const progress = createProgress({ label: "export", total, enabled: showProgress });
      const out = opts.out ? createWriteStream(opts.out) : process.stdout;
      try {
        const format = opts.format ?? (ui.json ? "json" : "csv");
        const n = await writeEvents(out, format, b.events(query), () => progress.increment());
        progress.stop();
        if (opts.out) {
          out.end();
          await once(out, "finish");
          ui.note(`exported ${n} events to ${opts.out}`);
        }
      } finally {
        progress.stop();
      }
    }),
  );
}
