import { BudgetError } from "@budget/core";

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * A SQL integer (number, bigint or numeric string) as a JS number. Counters never pass 2^53 − 1;
 * a sum that does (a report over a huge ledger) is refused with `counter_overflow` rather than
 * read back rounded.
 */
export function toNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint" || typeof value === "string") {
    const n = Number(value);
    if (Number.isSafeInteger(n) || (typeof value === "string" && !/^-?\d+$/.test(value))) return n;
    const exact = BigInt(value);
    if (exact > MAX_EXACT || exact < -MAX_EXACT)
      throw new BudgetError(
        "counter_overflow",
        `a stored count (${exact}) passes 2^53 − 1 and cannot be read exactly`,
      );
    return n;
  }
  if (value === null || value === undefined) return 0;
  throw new BudgetError("internal", `unexpected integer column value: ${String(value)}`);
}

/** A SQL integer as a bigint, without going through a float (money). */
export function toBigint(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return BigInt(value);
  if (typeof value === "string") return BigInt(value);
  if (value === null || value === undefined) return 0n;
  throw new BudgetError("internal", `unexpected integer column value: ${String(value)}`);
}

/** A nullable SQL integer as a number or null. */
export function toNullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}

/** JSON text (or an already parsed jsonb value) as a value. */
export function parseJson<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
}

/** JSON with bigints written as decimal strings. */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}
