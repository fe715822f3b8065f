import { isTimeZone } from "@budget/core/basics";
import type { Command } from "@commander-js/extra-typings";
import { usageError } from "../exit-codes.js";
import { parseInstant } from "../parse/values.js";

/** Adds `--from`, `--to` and `--timezone` to a command. */
export function addTimeRangeOptions(cmd: Command<unknown[], Record<string, unknown>>): void {
  cmd.option(
    "--from <when>",
    "start, inclusive: 2026-11-01, 2026-11-01T12:00, an ISO time, or 7d (7 days ago)",
  );
  cmd.option("--to <when>", "end, exclusive (same forms as --from)");
  cmd.option("--timezone <iana>", "time zone of dates and buckets (default UTC)");
}

/** Reads `--from`/`--to`/`--timezone`; dates without an offset are wall time in the time zone. */
export function timeRangeFrom(
  opts: Record<string, unknown>,
  now: number,
): { from?: number; to?: number; timezone: string } {
  const timezone = typeof opts.timezone === "string" ? opts.timezone : "UTC";
  if (!isTimeZone(timezone))
    throw usageError(`--timezone ${timezone}: not an IANA time zone (e.g. Europe/Paris)`);
  const out: { from?: number; to?: number; timezone: string } = { timezone };
  try {
    if (typeof opts.from === "string") out.from = parseInstant(opts.from, timezone, now);
    if (typeof opts.to === "string") out.to = parseInstant(opts.to, timezone, now);
  } catch (err) {
    throw usageError((err as Error).message);
  }
  if (out.from !== undefined && out.to !== undefined && out.from >= out.to)
    throw usageError("--from must be before --to");
  return out;
}

/** One `--at <when>` instant (UTC for dates without an offset), as a usage error when unreadable. */
export function instantOption(text: string, now = Date.now()): number {
  try {
    return parseInstant(text, "UTC", now);
  } catch (err) {
    throw usageError(`--at ${text}: ${(err as Error).message}`);
  }
}
