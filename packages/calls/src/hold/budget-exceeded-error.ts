import type { Denial, LimitAmounts } from "@budget/core";

/**
 * Thrown when a call's reservation is denied (`holdForCall`): carries the denial's fields, so a
 * caller can say which budget and limit blocked, what is left and when it resets.
 *
 * @example
 * try { await guard.call("t1", { model: "gpt-4o", estimate }, fn); }
 * catch (err) { if (isBudgetExceededError(err)) console.log(err.budgetId, err.remaining); }
 */
export class BudgetExceededError extends Error {
  override readonly name = "BudgetExceededError";
  /** Stable code, as on `BudgetError`. */
  readonly code = "budget_exceeded";
  readonly reason: Denial["reason"];
  readonly budgetId: string | null;
  readonly limitId: string | null;
  readonly partition: string | null;
  readonly enforcement: Denial["enforcement"];
  readonly remaining: LimitAmounts | null;
  /** Epoch ms when the window resets (null: lifetime). */
  readonly resetsAt: number | null;
  /** How long to wait before the same call would fit (null: waiting cannot help, or cannot be foreseen). */
  readonly retryAfterMs: number | null;
  /** The whole denial, as the engine or service returned it. */
  readonly denial: Denial;

  constructor(denial: Denial) {
    super(denial.message);
    this.denial = denial;
    this.reason = denial.reason;
    this.budgetId = denial.budgetId;
    this.limitId = denial.limitId;
    this.partition = denial.partition;
    this.enforcement = denial.enforcement;
    this.remaining = denial.remaining;
    this.resetsAt = denial.resetsAt;
    this.retryAfterMs = denial.retryAfterMs;
  }
}

/** True when `err` is a {@link BudgetExceededError}: by its `code` and denial, not `instanceof` (a second copy of the package counts too). */
export function isBudgetExceededError(err: unknown): err is BudgetExceededError {
  const { code, denial } = (err ?? {}) as { code?: unknown; denial?: unknown };
  return err instanceof Error && code === "budget_exceeded" && typeof denial === "object" && denial !== null;
}
