import type { ReportQuery, ReportRow } from "@budget/core";
import { DIMENSIONS, type Dimension, zonedParts } from "@budget/core/basics";
import type { Command } from "@commander-js/extra-typings";
import { Option } from "../commander.js";
import type { CliRunner } from "../context.js";
import { usageError } from "../exit-codes.js";
import { formatCount, formatMoney } from "../output/format.js";
import { renderTable } from "../output/table.js";
import type { Colors } from "../output/ui.js";
import { addDimensionOptions, dimensionsFrom } from "../parse/dimensions.js";
import { splitList } from "../parse/values.js";
import { addTimeRangeOptions, timeRangeFrom } from "./time-range.js";

/** Parses `--group-by model,provider`. */
export function parseGroupBy(text: string): Dimension[] {
  return splitList(text).map((g) => {
    const d = DIMENSIONS.find((x) => x.toLowerCase() === g.toLowerCase().replace(/[-_]/g, ""));
    if (!d) throw usageError(`--group-by ${g}: use ${DIMENSIONS.join(", ")}`);
    return d;
  });
}

function bucketLabel(ms: number, bucket: string, timeZone: string): string {
  const p = zonedParts(ms, timeZone);
  const day = `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
  if (bucket === "month") return day.slice(0, 7);
  return bucket === "hour" ? `${day} ${String(p.hour).padStart(2, "0")}:00` : day;
}

/** The report table, with a total row. */
export function reportTable(
  rows: ReportRow[],
  q: { groupBy: Dimension[]; bucket: string; timezone: string },
  colors: Colors,
): string {
  const withBucket = q.bucket !== "none";
  const columns = [
    ...(withBucket ? [{ header: q.bucket }] : []),
    ...q.groupBy.map((d) => ({ header: d })),
    { header: "Events", align: "right" as const },
    { header: "Tokens", align: "right" as const },
    { header: "Requests", align: "right" as const },
    { header: "Cost", align: "right" as const },
  ];
  const body = rows.map((r) => [
    ...(withBucket ? [r.bucketStart === null ? "" : bucketLabel(r.bucketStart, q.bucket, q.timezone)] : []),
    ...q.groupBy.map((d) => r.group[d] ?? colors.dim("(none)")),
    formatCount(r.events),
    formatCount(r.tokens),
    formatCount(r.requests),
    formatMoney(r.costNanoUsd),
  ]);
  const total = rows.reduce(
    (t, r) => ({
      events: t.events + r.events,
      tokens: t.tokens + r.tokens,
      requests: t.requests + r.requests,
      cost: t.cost + r.costNanoUsd,
    }),
    { events: 0, tokens: 0, requests: 0, cost: 0n },
  );
  const lead = (withBucket ? 1 : 0) + q.groupBy.length;
  if (lead > 0 && rows.length > 1)
    body.push([
      colors.bold("total"),
      ...Array.from({ length: lead - 1 }, () => ""),
      formatCount(total.events),
      formatCount(total.tokens),
      formatCount(total.requests),
      colors.bold(formatMoney(total.cost)),
    ]);
  return renderTable(columns, body, colors);
}

/** `budget report`: usage grouped by dimensions and time buckets, from the ledger. */
export function registerReport(program: Command<[], Record<string, unknown>>, runner: CliRunner): void {
  const cmd = program
    .command("report")
    .description("usage and cost grouped by dimensions × time bucket")
    .option("--group-by <dims>", `comma-separated: ${DIMENSIONS.join(", ")}`)
    .addOption(
      new Option("--bucket <bucket>", "time bucket")
        .choices(["none", "hour", "day", "week", "month"] as const)
        .default("none" as const),
    )
    .option("--model <model>", "only this model");
  addTimeRangeOptions(cmd as unknown as Command<unknown[], Record<string, unknown>>);
  addDimensionOptions(cmd as unknown as Command<unknown[], Record<string, unknown>>);
  cmd.action((opts) =>
    runner.run(async ({ ui, backend, now }) => {
      const o = opts as Record<string, unknown>;
      const range = timeRangeFrom(o, now());
      const groupBy = opts.groupBy ? parseGroupBy(opts.groupBy) : [];
      const dimensions = dimensionsFrom(o);
      if (opts.model) dimensions.model = opts.model;
      const query: ReportQuery = { groupBy, bucket: opts.bucket, timezone: range.timezone };
      if (range.from !== undefined) query.from = range.from;
      if (range.to !== undefined) query.to = range.to;
      if (Object.keys(dimensions).length > 0) query.dimensions = dimensions;
      const { client } = await backend();
      const rows = await client.report(query);
      if (ui.json) return ui.printJson(rows);
      if (rows.length === 0) return ui.line(ui.colors.dim("no usage in this range"));
      ui.line(reportTable(rows, { groupBy, bucket: opts.bucket, timezone: range.timezone }, ui.colors));
    }),
  );
}
