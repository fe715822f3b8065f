/** Stable, snake_case error codes shared by the library, the HTTP API and the CLI. */
export const BUDGET_ERROR_CODES = [
  "invalid_input",
  "not_found",
  "conflict",
  "unknown_model",
  "reservation_not_active",
  "idempotency_conflict",
  "store_unavailable",
  "store_schema_mismatch",
  "price_source_failed",
  "unauthorized",
  "forbidden",
  "payload_too_large",
  "unsupported_media_type",
  "method_not_allowed",
  "amount_too_large",
  "counter_overflow",
  "internal",
] as const;

/** One of {@link BUDGET_ERROR_CODES}. */
export type BudgetErrorCode = (typeof BUDGET_ERROR_CODES)[number];

const CODES: ReadonlySet<string> = new Set(BUDGET_ERROR_CODES);

/**
 * The one error type Budget throws. Expected outcomes (a denial, a quarantined price) are values,
 * not exceptions; a `BudgetError` means the request itself could not be carried out.
 *
 * @example
 * throw new BudgetError("invalid_input", "limit.tokens must be a positive integer", { field: "limit.tokens" });
 */
export class BudgetError extends Error {
  override readonly name = "BudgetError";
  constructor(
    readonly code: BudgetErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * True when `err` is a {@link BudgetError}, optionally with the given code. Decided by its stable
 * `code` (an `Error` whose `code` is a budget code, with `details`), not `instanceof`, so an error
 * from a second copy of this package (source and `dist/`, two installs) is recognized too.
 */
export function isBudgetError(err: unknown, code?: BudgetErrorCode): err is BudgetError {
  if (!(err instanceof Error)) return false;
  const { code: actual, details } = err as { code?: unknown; details?: unknown };
  if (typeof actual !== "string" || !CODES.has(actual) || typeof details !== "object" || details === null) {
    return false;
  }
  return code === undefined || actual === code;
}
