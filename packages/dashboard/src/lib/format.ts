import { displayCount, displayRelative, displayTime, displayUsd } from "@budget/core/display";

/**
 * Display formatting by core's one rule (`@budget/core/display`, the CLI's too). Money arrives as
 * exact USD decimal strings and is shown exactly, through bigint arithmetic, never a float artefact.
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
export const formatInt = displayCount;

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
export const formatTime = displayTime;

/** `in 3h 20m`, `5m ago`. */
export function formatRelative(ms: number, now = Date.now()): string {
  return displayRelative(ms, now);
}

/** The utilization class of a bar: ok below 80%, warn below 100%, over from 100%. */
export function utilizationLevel(ratio: number): "ok" | "warn" | "over" {
  return ratio >= 1 ? "over" : ratio >= 0.8 ? "warn" : "ok";
}
