import { parseDecimal, zonedToUtc } from "@budget/core/basics";
import { InvalidArgumentError } from "../commander.js";

/** Commander parser: a non-negative integer ("1200", "1_200" and "1,200" are accepted). */
export function parseCount(text: string): number {
  const clean = text.replace(/[_,]/g, "");
  if (!/^\d+$/.test(clean) || !Number.isSafeInteger(Number(clean)))
    throw new InvalidArgumentError("must be a non-negative integer");
  return Number(clean);
}

/** Commander parser: a positive integer. */
export function parsePositive(text: string): number {
  const n = parseCount(text);
  if (n === 0) throw new InvalidArgumentError("must be greater than 0");
  return n;
}

/** Commander parser: a non-negative USD decimal string, kept exact ("$25" and "25.50" accepted). */
export function parseUsd(text: string): string {
  const clean = text.replace(/^\$/, "");
  try {
    if (parseDecimal(clean).units < 0n) throw new Error("negative");
  } catch {
    throw new InvalidArgumentError('must be a non-negative USD amount such as "25" or "0.50"');
  }
  return clean;
}

const DURATION = /^(\d+)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Commander parser: a duration such as "90s", "15m", "2h", "7d" → milliseconds. */
export function parseDuration(text: string): number {
  const m = DURATION.exec(text.trim());
  if (!m) throw new InvalidArgumentError('must be a duration such as "90s", "15m", "2h" or "7d"');
  return Number(m[1]) * (UNIT_MS[m[2] ?? "ms"] ?? 1);
}

/**
 * An instant from `2026-11-01` (midnight in `timeZone`), `2026-11-01T12:00` (local wall time in
 * `timeZone`), a full ISO time with offset, `now`, or a duration ago such as `7d`.
 */
export function parseInstant(text: string, timeZone: string, now: number): number {
  const t = text.trim();
  if (t === "now") return now;
  if (DURATION.test(t)) return now - parseDuration(t);
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?$/.exec(t);
  if (local) {
    const [, y, mo, d, h, mi] = local;
    return zonedToUtc(
      { year: Number(y), month: Number(mo), day: Number(d), hour: Number(h ?? 0), minute: Number(mi ?? 0) },
      timeZone,
    );
  }
  const ms = Date.parse(t);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(t) || Number.isNaN(ms))
    throw new InvalidArgumentError(
      `"${text}" is not a date: use 2026-11-01, 2026-11-01T12:00, an ISO time, "now" or "7d"`,
    );
  return ms;
}

/** Commander collector for a repeatable option. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Splits "a,b , c" into ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
