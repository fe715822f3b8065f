import { BudgetError } from "../errors/budget-error.js";

/** An exact decimal: `units / 10^scale`. Normalized: no trailing zeros in `units` when `scale > 0`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

/** A decimal written as a string, e.g. `"0.075"` or `"8.333333333333334e-8"`. */
export type DecimalString = string;

const DECIMAL_RE = /^([+-])?(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a decimal string exactly (no detour through `Number`), accepting exponents.
 *
 * @example parseDecimal("0.00000008333333333333334") // { units: 8333333333333334n, scale: 23 }
 */
export function parseDecimal(text: string): Decimal {
  const match = DECIMAL_RE.exec(text.trim());
  if (!match || (match[2] === undefined && !match[3])) {
    throw new BudgetError("invalid_input", `not a decimal number: ${JSON.stringify(text)}`);
  }
  const [, sign, whole = "", frac = "", exp = "0"] = match;
  const exponent = Number(exp);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 400) {
    throw new BudgetError("invalid_input", `decimal exponent out of range: ${JSON.stringify(text)}`);
  }
  let units = BigInt(whole + frac || "0");
  let scale = frac.length - exponent;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  if (sign === "-") units = -units;
  return normalize({ units, scale });
}

/** Converts a finite JS number to the decimal its shortest round-trip string denotes. */
export function decimalFromNumber(value: number): Decimal {
  if (!Number.isFinite(value)) throw new BudgetError("invalid_input", `not a finite number: ${value}`);
  return parseDecimal(String(value));
}

/** Removes trailing zeros so equal values have one representation. */
export function normalize(d: Decimal): Decimal {
  let { units, scale } = d;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return units === 0n ? { units: 0n, scale: 0 } : { units, scale };
}

/** Writes a decimal in plain notation, e.g. `"0.000000083"`. */
export function formatDecimal(d: Decimal): string {
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString().padStart(d.scale + 1, "0");
  const whole = digits.slice(0, digits.length - d.scale);
  const frac = digits.slice(digits.length - d.scale);
  return (negative ? "-" : "") + whole + (frac ? `.${frac}` : "");
}

/** Canonical plain-notation string of a decimal string (`"1e-7"` → `"0.0000001"`). */
export function canonicalDecimal(text: string): DecimalString {
  return formatDecimal(parseDecimal(text));
}

/** Exact product of two decimals. */
export function mulDecimal(a: Decimal, b: Decimal): Decimal {
  return normalize({ units: a.units * b.units, scale: a.scale + b.scale });
}

/** Compares two decimals: negative, zero or positive like `a - b`. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = a.units * 10n ** BigInt(scale - a.scale);
  const y = b.units * 10n ** BigInt(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `units` of `d` expressed at a larger `scale` (exact). */
export function unitsAtScale(d: Decimal, scale: number): bigint {
  if (scale < d.scale) throw new RangeError(`scale ${scale} is below ${d.scale}`);
  return d.units * 10n ** BigInt(scale - d.scale);
}

/**
 * Divides and rounds half-up (half away from zero): the one rounding rule of Budget,
 * applied once per usage event when its exact cost becomes nano-USD.
 */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError("denominator must be positive");
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const q = (n * 2n + denominator) / (denominator * 2n);
  return negative ? -q : q;
}
