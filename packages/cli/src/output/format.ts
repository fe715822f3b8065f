import { displayUsd, formatUsd, type NanoUsd } from "@budget/core/basics";

/** Groups thousands: 1234567 → "1,234,567". */
export function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Money for people: core's one display rule, exact (`$99.99563`, `$0.0081`, `$1,234.50`). */
export function formatMoney(nano: NanoUsd): string {
  return displayUsd(nano);
}

/** Exact USD decimal string for scripts ("12.345678901"). */
export const formatUsdExact = formatUsd;

/** A token or request count for people: "1,200". */
export function formatCount(n: number): string {
  return groupDigits(String(n));
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** An instant in the machine's local time: "2026-11-23 00:00". */
export function formatLocalTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** A duration from now: "in 3h 29m", "5m ago". */
export function formatRelative(ms: number, now: number): string {
  const delta = ms - now;
  const abs = Math.abs(delta);
  const minutes = Math.floor(abs / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const text =
    days > 0 ? `${days}d ${hours}h` : hours > 0 ? `${hours}h ${mins}m` : minutes > 0 ? `${mins}m` : "<1m";
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}
