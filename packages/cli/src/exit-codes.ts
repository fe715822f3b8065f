import { isBudgetError } from "@budget/core/basics";

/** The process exit codes of `budget`; scripts may rely on them. */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  denied: 3,
  notFound: 4,
  unavailable: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports with a chosen exit code and stable snake_case code. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly code: string,
  ) {
    super(message);
  }
}

/** True when `err` is a {@link CliError}: by its name, exit code and code, not `instanceof` (a second copy counts too). */
export function isCliError(err: unknown): err is CliError {
  const { name, exitCode, code } = (err ?? {}) as { name?: unknown; exitCode?: unknown; code?: unknown };
  return (
    err instanceof Error && name === "CliError" && typeof exitCode === "number" && typeof code === "string"
  );
}

/** A usage error: bad flags or input (exit 2). */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage, "invalid_input");
}

const BY_BUDGET_CODE: Record<string, ExitCode> = {
  invalid_input: EXIT.usage,
  amount_too_large: EXIT.usage,
  not_found: EXIT.notFound,
  unknown_model: EXIT.notFound,
  store_unavailable: EXIT.unavailable,
  store_schema_mismatch: EXIT.unavailable,
};

/** Network failures that mean "the service is not there" rather than "it said no". */
const UNREACHABLE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET|ETIMEDOUT|EAI_AGAIN|fetch failed/;

/** Maps anything thrown to an exit code, a stable code and a one-line message. */
export function describeError(err: unknown): { exitCode: ExitCode; code: string; message: string } {
  if (isCliError(err)) return { exitCode: err.exitCode, code: err.code, message: err.message };
  if (isBudgetError(err)) {
    return { exitCode: BY_BUDGET_CODE[err.code] ?? EXIT.error, code: err.code, message: err.message };
  }
  const e = err as { message?: unknown; cause?: { code?: unknown; message?: unknown }; code?: unknown };
  const text = `${String(e?.message ?? err)} ${String(e?.cause?.code ?? "")} ${String(e?.code ?? "")}`;
  if (UNREACHABLE.test(text)) {
    const cause = e?.cause?.message ? `: ${String(e.cause.message)}` : "";
    return {
      exitCode: EXIT.unavailable,
      code: "unreachable",
      message: `${String(e?.message ?? err)}${cause}`,
    };
  }
  // Errors from other packages may carry a BudgetError-like code without being the same class.
  if (typeof e?.code === "string" && e.code in BY_BUDGET_CODE) {
    return { exitCode: BY_BUDGET_CODE[e.code] ?? EXIT.error, code: e.code, message: String(e.message) };
  }
  return { exitCode: EXIT.error, code: "internal", message: String(e?.message ?? err) };
}
