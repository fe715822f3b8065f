import type { BudgetErrorCode } from "../errors/budget-error.js";

/** The problem+json body every error response carries. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: BudgetErrorCode;
  detail: string;
  errors?: { path: string; message: string }[];
  /** 5xx: the id the server logged the failure under (also the `X-Request-Id` header). */
  requestId?: string;
}
