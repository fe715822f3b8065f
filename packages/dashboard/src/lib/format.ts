import { displayUsd } from "@budget/core/money";

/**
 * Display formatting. Money arrives as exact USD decimal strings and is shown exactly, through
 * bigint arithmetic (core's `displayUsd`), never a float artefact.
 */

const NANO_PER_USD = 1_000_000_000n;

/** A USD decimal string as nano-USD (extra digits past the ninth are dropped). */
export function usdToNano(usd: string): bigint {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(usd.trim());
  if (!m) return 0n;
  const units = BigInt(m[2] || "0") * NANO_PER_USD + BigInt((m[3] ?? "").slice(0, 9).padEnd(9, "0"));
  return m[1] ? -units : units;
}

/**
 * Money for people by core's one display rule (the CLI's too): exact, never rounded, so a small
 * amount never reads `$0.00` and totals read as the sum of their rows: `$1,234.565`, `$0.0081`.
 */
export function formatUsd(usd: string | bigint): string {
  return displayUsd(typeof usd === "bigint" ? usd : usdToNano(usd));
}

/** A USD string as a float, for charts and ratios only (never for sums shown as money). */
export function usdToNumber(usd: string): number {
  return Number(usdToNano(usd)) / 1e9;
}

/** `1,234,567`. */
export function formatInt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

/** `1.2M`, `34k`, `950`: for axes and tight spots. */
export function formatCompact(n: number): string {
  return new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(n);
}

/** `84%` (one decimal under 10%). */
export function formatPercent(ratio: number): string {
  const p = ratio * 100;
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)}%`;
}

/** `2026-05-01 14:03` in the browser's time zone. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `in 3 h 20 min`, `5 min ago`. */
export function formatRelative(ms: number, now = Date.now()): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  const minutes = Math.round(abs / 60_000);
  let text: string;
  if (minutes < 1) text = "less than a minute";
  else if (minutes < 60) text = `${minutes} min`;
  else if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    text = m && h < 10 ? `${h} h ${m} min` : `${h} h`;
  } else text = `${Math.round(minutes / 1440)} days`;
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

/** The utilization class of a bar: ok below 80%, warn below 100%, over from 100%. */
export function utilizationLevel(ratio: number): "ok" | "warn" | "over" {
  return ratio >= 1 ? "over" : ratio >= 0.8 ? "warn" : "ok";
}
