import type { Window } from "@budget/core";
import { usageError } from "../exit-codes.js";
import { parseDuration } from "./values.js";

const CALENDAR = ["hour", "day", "week", "month", "quarter", "year"] as const;

/** Anchors of a calendar window, from `--anchor-*` flags. */
export interface WindowAnchors {
  anchorDay?: number;
  anchorMonth?: number;
  anchorWeekday?: number;
  anchorHour?: number;
}

/**
 * Parses `--window`: a calendar unit (`hour` … `year`), `lifetime`, or `rolling:<duration>`
 * such as `rolling:90m`, `rolling:24h`, `rolling:7d`.
 */
export function parseWindow(text: string, anchors: WindowAnchors = {}): Window {
  const t = text.trim().toLowerCase();
  if (t === "lifetime") return { type: "lifetime" };
  const rolling = /^rolling[:=]?(.+)$/.exec(t);
  if (rolling) {
    let ms: number;
    try {
      ms = parseDuration(rolling[1] ?? "");
    } catch {
      throw usageError(`--window ${text}: a rolling window needs a duration, e.g. rolling:90m or rolling:7d`);
    }
    if (ms < 60_000 || ms % 60_000 !== 0) throw usageError(`--window ${text}: use whole minutes`);
    return { type: "rolling", minutes: ms / 60_000 };
  }
  const unit = CALENDAR.find((u) => u === t);
  if (!unit)
    throw usageError(
      `--window ${text}: use ${CALENDAR.join(", ")}, lifetime or rolling:<duration> (e.g. rolling:24h)`,
    );
  return { type: unit, ...anchors };
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** A window for people: "day", "month from the 15th", "rolling 90m", "lifetime". */
export function describeWindow(w: Window): string {
  if (w.type === "lifetime") return "lifetime";
  if (w.type === "rolling") {
    const m = w.minutes;
    return `rolling ${m % 1440 === 0 ? `${m / 1440}d` : m % 60 === 0 ? `${m / 60}h` : `${m}m`}`;
  }
  const parts: string[] = [w.type];
  if (w.anchorDay !== undefined && w.anchorDay !== 1) parts.push(`from day ${w.anchorDay}`);
  if (w.anchorMonth !== undefined && w.anchorMonth !== 1) parts.push(`from month ${w.anchorMonth}`);
  if (w.anchorWeekday !== undefined && w.anchorWeekday !== 1) parts.push(`from ${WEEKDAYS[w.anchorWeekday]}`);
  if (w.anchorHour !== undefined && w.anchorHour !== 0) parts.push(`at ${w.anchorHour}h`);
  return parts.join(" ");
}
