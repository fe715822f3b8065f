import { z } from "zod";
import { type Decimal, parseDecimal } from "../money/decimal.js";
import { isTimeZone } from "./time-zone.js";

/** The decimal `text` denotes, or null when it is not a decimal. */
export function tryParseDecimal(text: string): Decimal | null {
  try {
    return parseDecimal(text);
  } catch {
    return null;
  }
}

/** An IANA time zone, defaulting to UTC. */
export const timeZoneSchema = z
  .string()
  .default("UTC")
  .refine(isTimeZone, "must be an IANA time zone such as Europe/Paris");

/** A whole number > 0 that stays exact in a JS number. */
export const positiveIntSchema = z
  .number()
  .int("must be an integer")
  .positive("must be greater than 0")
  .max(Number.MAX_SAFE_INTEGER);

/** A decimal string > 0 (USD amounts of limits). */
export const positiveDecimalSchema = z
  .string()
  .max(40, "must be at most 40 characters")
  .refine((s) => (tryParseDecimal(s)?.units ?? 0n) > 0n, 'must be a positive decimal string such as "2.50"');

/** A decimal string ≥ 0 (prices, overdrafts). */
export const nonNegativeDecimalSchema = z
  .string()
  .max(40, "must be at most 40 characters")
  .refine((s) => (tryParseDecimal(s)?.units ?? -1n) >= 0n, "must be a non-negative decimal string");

export { isTimeZone };
