import { type Decimal, formatDecimal, mulDecimal, normalize, parseDecimal } from "@budget/core";

const MILLION: Decimal = { units: 1_000_000n, scale: 0 };

/**
 * Converts a per-token USD price (a JSON number or a decimal string) to an exact per-million
 * decimal string. Numbers go through `String(n)` — the shortest string that round-trips — then
 * decimal arithmetic, so `3e-7` becomes exactly `"0.3"`, never `0.30000000000000004`.
 * Returns null for anything that is not a finite, non-negative decimal.
 */
export function perTokenToPerMillion(value: number | string): string | null {
  const d = toDecimal(value);
  return d === null ? null : formatDecimal(mulDecimal(d, MILLION));
}

/** A per-unit price (request, image, search) as a canonical decimal string, or null if invalid. */
export function perUnit(value: number | string): string | null {
  const d = toDecimal(value);
  return d === null ? null : formatDecimal(d);
}

function toDecimal(value: number | string): Decimal | null {
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  try {
    const d = parseDecimal(String(value));
    return d.units < 0n ? null : d;
  } catch {
    return null;
  }
}

/**
 * `a / b` as an exact decimal string when it terminates within `maxScale` digits, else null
 * (used to derive a batch multiplier such as `"0.5"` from two prices).
 */
export function divideExact(a: string, b: string, maxScale = 12): string | null {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (y.units === 0n) return null;
  // x/y = (xu / 10^xs) / (yu / 10^ys); scaled by 10^maxScale to an integer quotient.
  const num = x.units * 10n ** BigInt(maxScale + y.scale);
  const den = y.units * 10n ** BigInt(x.scale);
  if (num % den !== 0n) return null;
  return formatDecimal(normalize({ units: num / den, scale: maxScale }));
}
