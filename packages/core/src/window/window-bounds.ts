import type { Window } from "../budget/budget.js";
import { daysInMonth, zonedParts, zonedToUtc } from "./zoned-time.js";

/** The period of a window that contains an instant. */
export interface WindowBounds {
  /** Epoch ms, inclusive. */
  start: number;
  /** Epoch ms, exclusive; null for lifetime. */
  end: number | null;
}

/** How a rolling window is cut into counter buckets: 60 buckets, at least one minute each. */
export function rollingBucketMs(minutes: number): number {
  return Math.max(60_000, Math.floor(minutes / 60) * 60_000);
}

/**
 * The calendar, rolling-bucket or lifetime period containing `at`, in the budget's time zone,
 * starting no earlier than `resetAt` when a reset happened inside it.
 */
export function windowBounds(
  window: Window,
  at: number,
  timeZone: string,
  resetAt: number | null = null,
): WindowBounds {
  return applyReset(naturalBounds(window, at, timeZone), at, resetAt);
}

/** A period shortened to start at `resetAt` when the reset happened inside it, before `at`. */
export function applyReset(natural: WindowBounds, at: number, resetAt: number | null): WindowBounds {
  if (resetAt !== null && resetAt <= at && resetAt > natural.start)
    return { start: resetAt, end: natural.end };
  return natural;
}

/** The period containing `at`, ignoring resets. */
export function naturalBounds(window: Window, at: number, tz: string): WindowBounds {
  switch (window.type) {
    case "lifetime":
      return { start: 0, end: null };
    case "rolling": {
      const size = rollingBucketMs(window.minutes);
      const start = Math.floor(at / size) * size;
      return { start, end: start + size };
    }
    case "hour": {
      const p = zonedParts(at, tz);
      const start = zonedToUtc({ year: p.year, month: p.month, day: p.day, hour: p.hour }, tz);
      const end = zonedToUtc({ year: p.year, month: p.month, day: p.day, hour: p.hour + 1 }, tz);
      return { start, end };
    }
    case "day":
      return dayLike(at, tz, 1, window.anchorHour ?? 0, 0);
    case "week":
      return dayLike(at, tz, 7, window.anchorHour ?? 0, window.anchorWeekday ?? 1);
    case "month":
      return monthLike(at, tz, 1, 0, window.anchorDay ?? 1, window.anchorHour ?? 0);
    case "quarter":
      return monthLike(
        at,
        tz,
        3,
        (window.anchorMonth ?? 1) - 1,
        window.anchorDay ?? 1,
        window.anchorHour ?? 0,
      );
    case "year":
      return monthLike(
        at,
        tz,
        12,
        (window.anchorMonth ?? 1) - 1,
        window.anchorDay ?? 1,
        window.anchorHour ?? 0,
      );
  }
}

/** Day (length 1) or week (length 7, starting on `weekday`) periods starting at a local hour. */
function dayLike(at: number, tz: string, lengthDays: number, hour: number, weekday: number): WindowBounds {
  const p = zonedParts(at, tz);
  let back = lengthDays === 7 ? (p.weekday - weekday + 7) % 7 : 0;
  let start = zonedToUtc({ year: p.year, month: p.month, day: p.day - back, hour }, tz);
  if (start > at) {
    back += lengthDays;
    start = zonedToUtc({ year: p.year, month: p.month, day: p.day - back, hour }, tz);
  }
  const end = zonedToUtc({ year: p.year, month: p.month, day: p.day - back + lengthDays, hour }, tz);
  return { start, end };
}

/** Month, quarter or year periods: `lengthMonths` long, aligned to `baseMonth`, starting on `anchorDay`. */
function monthLike(
  at: number,
  tz: string,
  lengthMonths: number,
  baseMonth: number,
  anchorDay: number,
  hour: number,
) {
  const p = zonedParts(at, tz);
  const monthIndex = p.year * 12 + (p.month - 1);
  let k = Math.floor((monthIndex - baseMonth) / lengthMonths);
  const startOf = (i: number) =>
    periodStart(k * lengthMonths + baseMonth + i * lengthMonths, anchorDay, hour, tz);
  let start = startOf(0);
  if (start > at) {
    k -= 1;
    start = startOf(0);
  }
  return { start, end: startOf(1) };
}

function periodStart(monthIndex: number, anchorDay: number, hour: number, tz: string): number {
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  return zonedToUtc({ year, month, day: Math.min(anchorDay, daysInMonth(year, month)), hour }, tz);
}
