/** Local wall-clock parts of an instant in an IANA time zone. */
export interface ZonedParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The wall-clock parts of `ms` in `timeZone`. UTC (the default zone of a budget) is read from the
 * `Date` itself: the first `Intl.DateTimeFormat` of a process loads ICU's zone and locale data,
 * tens of milliseconds of a short command such as `budget status`.
 */
export function zonedParts(ms: number, timeZone: string): ZonedParts {
  if (timeZone === "UTC") {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      weekday: d.getUTCDay(),
    };
  }
  const out: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(ms)) out[p.type] = p.value;
  return {
    year: Number(out.year),
    month: Number(out.month),
    day: Number(out.day),
    hour: Number(out.hour),
    minute: Number(out.minute),
    weekday: WEEKDAYS[out.weekday ?? "Sun"] ?? 0,
  };
}

/** Offset of `timeZone` from UTC at instant `ms`, in ms (local = utc + offset). */
function offsetAt(ms: number, timeZone: string): number {
  const p = zonedParts(ms, timeZone);
  const seconds = Math.floor(ms / 1000) % 60;
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, seconds < 0 ? seconds + 60 : seconds);
  return asUtc - (ms - (ms % 1000));
}

/**
 * The instant of a local wall-clock time in `timeZone`. Out-of-range parts roll over like
 * `Date.UTC` (day 32 is the 1st of the next month). A time skipped by a DST jump maps to the
 * instant just after the jump; a repeated time maps to its first occurrence.
 */
export function zonedToUtc(
  local: { year: number; month: number; day: number; hour?: number; minute?: number },
  timeZone: string,
): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour ?? 0, local.minute ?? 0);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  if (first === second) return first;
  // Around a transition: prefer the earlier instant that maps back to this wall time, else the later one.
  const candidates = [Math.min(first, second), Math.max(first, second)];
  for (const c of candidates) if (c + offsetAt(c, timeZone) === wall) return c;
  return Math.max(first, second);
}

/** Days in a month (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
