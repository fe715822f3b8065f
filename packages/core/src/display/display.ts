/**
 * Money, counts and times for people, by one rule everywhere (CLI, dashboard, MCP text). Machines
 * get the wire forms instead (USD decimal strings, ISO instants).
 *
 * - **Money** is exact, never rounded: dollars with thousands grouped, then every significant
 *   decimal of the nano-USD value, at least two. No non-zero amount reads `$0.00`, and a total
 *   reads as the sum of its rows.
 * - **Counts** are whole numbers with thousands grouped: `1,200`.
 * - **Instants** are minutes in the viewer's local time zone: `2026-11-23 00:00`.
 * - **Durations from now** use the two largest units: `in 3h 29m`, `5m ago`, `2d 4h`, `<1m`.
 *
 * Dependency-free (no zod, no core index), so the CLI's start-up and the dashboard bundle load it
 * alone (`@budget/core/display`).
 */

/** Groups thousands: "1234567" → "1,234,567". */
function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Money for people, exact.
 *
 * @example displayUsd(99_995_630_000n) // "$99.99563"
 * @example displayUsd(1_234_500_000_000n) // "$1,234.50"
 */
export function displayUsd(nano: bigint): string {
  const negative = nano < 0n;
  const abs = negative ? -nano : nano;
  const whole = groupDigits((abs / 1_000_000_000n).toString());
  const frac = (abs % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${negative ? "-" : ""}$${whole}.${frac}`;
}

/** A token or request count for people: `displayCount(1200) // "1,200"`. */
export function displayCount(n: number): string {
  const whole = Math.round(n);
  return `${whole < 0 ? "-" : ""}${groupDigits(String(Math.abs(whole)))}`;
}

const pad2 = (n: number): string => String(n).padStart(2, "0");

/** An instant (epoch ms) in the local time zone, to the minute: "2026-11-23 00:00". */
export function displayTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** An instant relative to `now` (epoch ms): "in 3h 29m", "5m ago", "2d 4h ago", "in <1m". */
export function displayRelative(ms: number, now: number): string {
  const delta = ms - now;
  const minutes = Math.floor(Math.abs(delta) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const text =
    days > 0 ? `${days}d ${hours}h` : hours > 0 ? `${hours}h ${mins}m` : minutes > 0 ? `${mins}m` : "<1m";
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}
