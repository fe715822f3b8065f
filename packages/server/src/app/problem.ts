import type { Problem } from "@budget/core";
import { type BudgetErrorCode, isBudgetError } from "@budget/core";
import type { z } from "zod";

/** HTTP status of each error code: the one table the API answers by. */
export const STATUS_BY_CODE: Record<BudgetErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  unknown_model: 422,
  reservation_not_active: 409,
  idempotency_conflict: 409,
  store_unavailable: 503,
  store_schema_mismatch: 503,
  price_source_failed: 502,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  unsupported_media_type: 415,
  method_not_allowed: 405,
  amount_too_large: 422,
  counter_overflow: 409,
  internal: 500,
};

const TITLES: Partial<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

/** An `application/problem+json` response (RFC 9457) with the stable `code`. */
export function problemResponse(
  problem: Omit<Problem, "type" | "title"> & { headers?: HeadersInit },
): Response {
  const { headers, ...rest } = problem;
  const body = problemBody(rest);
  const h = new Headers(headers);
  h.set("content-type", "application/problem+json");
  return new Response(JSON.stringify(body), { status: rest.status, headers: h });
}

/**
 * The problem for any thrown value: a BudgetError keeps its code; anything else is a 500 without
 * internals. A 5xx names `requestId` (when given), the id its failure is logged under.
 */
export function errorToProblem(err: unknown, requestId?: string): Response {
  const { status, ...rest } = problemOf(err, requestId);
  return problemResponse({ status, ...rest });
}

/** The status, code, detail and fields of {@link errorToProblem}'s answer, as a value (a batch's result). */
export function problemOf(err: unknown, requestId?: string): Omit<Problem, "type" | "title"> {
  const id = requestId !== undefined ? { requestId } : {};
  if (isBudgetError(err)) {
    const issues = err.details.issues as { path: string; message: string }[] | undefined;
    const status = STATUS_BY_CODE[err.code] ?? 500;
    return {
      status,
      code: err.code,
      detail: err.message,
      ...(issues ? { errors: issues } : {}),
      ...(status >= 500 ? id : {}),
    };
  }
  return { status: 500, code: "internal", detail: "internal error", ...id };
}

/** A {@link problemOf} value as the problem+json body {@link problemResponse} sends. */
export function problemBody(problem: Omit<Problem, "type" | "title">): Problem {
  return {
    type: `https://budget.dev/problems/${problem.code}`,
    title: TITLES[problem.status] ?? "Error",
    ...problem,
  };
}

/** One offending field: its path inside the input (dot-joined, empty for the whole input). */
export interface InputIssue {
  path: string;
  message: string;
}

/** A 400 naming every offending field, its path prefixed with where it was (`body`, `query`, `params`). */
export function invalidInputProblem(issues: readonly InputIssue[], where: string): Response {
  const errors = issues.map((i) => ({ path: i.path ? `${where}.${i.path}` : where, message: i.message }));
  const first = errors[0];
  return problemResponse({
    status: 400,
    code: "invalid_input",
    detail: first ? `${first.path}: ${first.message}` : `invalid ${where}`,
    errors,
  });
}

/** A zod failure as a 400 naming every offending field (`where` prefixes the paths: body, query). */
export function zodProblem(error: z.ZodError, where: string): Response {
  return invalidInputProblem(
    error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message })),
    where,
  );
}
