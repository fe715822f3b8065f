/**
 * Money for people, by one rule everywhere (CLI and dashboard): the exact amount, never rounded —
 * dollars with thousands grouped, then every significant decimal of the nano-USD value, at least
 * two. So no non-zero amount reads as `$0.00`, and a total reads as the sum of its rows.
 *
 * @example displayUsd(99_995_630_000n) // "$99.99563"
 * @example displayUsd(1_234_500_000_000n) // "$1,234.50"
 */
export function displayUsd(nano: bigint): string {
  const negative = nano < 0n;
  const abs = negative ? -nano : nano;
  const whole = (abs / 1_000_000_000n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const frac = (abs % 1_000_000_000n).toString().padStart(9, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${negative ? "-" : ""}$${whole}.${frac}`;
}
