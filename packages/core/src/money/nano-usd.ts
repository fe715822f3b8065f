import { BudgetError } from "../errors/budget-error.js";
import { divRoundHalfUp, parseDecimal } from "./decimal.js";

/** Money: an integer number of nano-USD (1e-9 USD). */
export type NanoUsd = bigint;

/** Nano-USD in one USD. */
export const NANO_PER_USD = 1_000_000_000n;

/**
 * Parses a USD decimal string (or number) into nano-USD, rounding half-up past nine decimals.
 *
 * @example usdToNano("12.345678901") // 12345678901n
 */
export function usdToNano(usd: string | number): NanoUsd {
  const d = parseDecimal(typeof usd === "number" ? String(usd) : usd);
  if (d.scale <= 9) return d.units * 10n ** BigInt(9 - d.scale);
  return divRoundHalfUp(d.units, 10n ** BigInt(d.scale - 9));
}

/**
 * Formats nano-USD as a USD decimal string with nine decimals, the wire and CSV format.
 *
 * @example formatUsd(12345678901n) // "12.345678901"
 */
export function formatUsd(nano: NanoUsd): string {
  const negative = nano < 0n;
  const abs = negative ? -nano : nano;
  const whole = abs / NANO_PER_USD;
  const frac = (abs % NANO_PER_USD).toString().padStart(9, "0");
  return `${negative ? "-" : ""}${whole}.${frac}`;
}

/** Parses a nano-USD value from a bigint, safe integer or integer string (the storage formats). */
export function toNanoUsd(value: bigint | number | string): NanoUsd {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value))
      throw new BudgetError("invalid_input", `not an integer nano-USD: ${value}`);
    return BigInt(value);
  }
  if (!/^-?\d+$/.test(value)) throw new BudgetError("invalid_input", `not an integer nano-USD: ${value}`);
  return BigInt(value);
}
