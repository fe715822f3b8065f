import { BudgetError, isBudgetError } from "@budget/core";

/** Where a SQLite error happened, to name it in the message. */
export interface SqliteErrorContext {
  file: string;
  busyTimeoutMs: number;
}

/** Turns a better-sqlite3 error into a `BudgetError` that names the problem; others pass through. */
export function mapSqliteError(err: unknown, ctx: SqliteErrorContext): unknown {
  if (isBudgetError(err)) return err;
  const code = typeof (err as { code?: unknown })?.code === "string" ? (err as { code: string }).code : "";
  const message = err instanceof Error ? err.message : String(err);
  const details = { file: ctx.file, sqliteCode: code };
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
    return new BudgetError(
      "store_unavailable",
      `SQLite database ${ctx.file} is locked by another connection (waited ${ctx.busyTimeoutMs} ms)`,
      details,
    );
  if (code === "SQLITE_FULL")
    return new BudgetError(
      "store_unavailable",
      `SQLite database ${ctx.file} is full (disk or quota)`,
      details,
    );
  if (code.startsWith("SQLITE_CANTOPEN"))
    return new BudgetError(
      "store_unavailable",
      `cannot open SQLite database ${ctx.file}: ${message}`,
      details,
    );
  if (code.startsWith("SQLITE_READONLY"))
    return new BudgetError(
      "store_unavailable",
      `SQLite database ${ctx.file} is read-only: ${message}`,
      details,
    );
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT"))
    return new BudgetError(
      "store_unavailable",
      `${ctx.file} is not a usable SQLite database: ${message}`,
      details,
    );
  if (code.startsWith("SQLITE_IOERR"))
    return new BudgetError(
      "store_unavailable",
      `I/O error on SQLite database ${ctx.file}: ${message}`,
      details,
    );
  if (code.startsWith("SQLITE_CONSTRAINT"))
    return new BudgetError("conflict", `write conflicts with a stored row: ${message}`, details);
  if (/no such (table|column)/.test(message))
    return new BudgetError(
      "store_schema_mismatch",
      `SQLite database ${ctx.file} does not have the expected schema: ${message}`,
      details,
    );
  // `sum()` past 64 bits (a report over a huge ledger); a bound past 64 bits (better-sqlite3).
  if (/integer overflow|bound string, buffer, or bigint is too big/i.test(message))
    return new BudgetError(
      "counter_overflow",
      `a stored sum would pass the 64-bit range: ${message}`,
      details,
    );
  if (err instanceof Error && err.message === "The database connection is not open")
    return new BudgetError("store_unavailable", `SQLite database ${ctx.file} is closed`, details);
  return err;
}
