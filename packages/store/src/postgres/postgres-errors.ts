import { BudgetError, isBudgetError } from "@budget/core";

/** Where a PostgreSQL error happened, to name it in the message. */
export interface PostgresErrorContext {
  /** `host:port/database`, never the password. */
  target: string;
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "ETIMEDOUT",
  "ECONNRESET",
  "EHOSTUNREACH",
  "EAI_AGAIN",
]);

/** SQLSTATEs worth retrying: serialization failure, deadlock. */
export function isRetryable(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === "40001" || code === "40P01";
}

/** Turns a pg error into a `BudgetError` that names the problem; others pass through. */
export function mapPostgresError(err: unknown, ctx: PostgresErrorContext): unknown {
  if (isBudgetError(err)) return err;
  const code = String((err as { code?: unknown })?.code ?? "");
  const message = err instanceof Error ? err.message : String(err);
  const details = { target: ctx.target, pgCode: code };
  const unavailable = (what: string) =>
    new BudgetError("store_unavailable", `PostgreSQL at ${ctx.target} ${what}`, details);
  if (CONNECTION_CODES.has(code) || /Connection terminated|connect(ion)? timeout|ECONNREFUSED/i.test(message))
    return unavailable(`is unreachable: ${message}`);
  if (code === "53100") return unavailable(`is full (disk full): ${message}`);
  if (code.startsWith("53") || code.startsWith("57P") || code.startsWith("08"))
    return unavailable(`is not accepting work: ${message}`);
  if (code.startsWith("28")) return unavailable(`refused the credentials: ${message}`);
  if (code === "3D000") return unavailable(`has no such database: ${message}`);
  if (code === "55P03" || code === "57014")
    return unavailable(`is locked (lock or statement timeout): ${message}`);
  if (code === "42P01" || code === "42703")
    return new BudgetError(
      "store_schema_mismatch",
      `PostgreSQL at ${ctx.target} does not have the expected schema: ${message}`,
      details,
    );
  if (code === "23505")
    return new BudgetError("conflict", `write conflicts with a stored row: ${message}`, details);
  // A sum (an hourly rollup, a report) past 64 bits: the transaction is rolled back whole.
  if (code === "22003")
    return new BudgetError(
      "counter_overflow",
      `a stored sum would pass the 64-bit range; nothing was changed: ${message}`,
      details,
    );
  return err;
}
