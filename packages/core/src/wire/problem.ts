import { z } from "zod";
import { BUDGET_ERROR_CODES, type BudgetErrorCode } from "../errors/budget-error.js";

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

const problemSchema = z
  .strictObject({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.enum(BUDGET_ERROR_CODES),
    detail: z.string(),
    errors: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional(),
    /** 5xx: the id the failure was logged under (also the `X-Request-Id` header). */
    requestId: z.string().optional(),
  })
  .meta({ id: "Problem" });

/**
 * Zod schema of a {@link Problem} (RFC 9457 problem+json) whose `code` is one of `codes` (default
 * any): what an error response of one status may carry.
 */
export function problemWireSchema(codes?: readonly [BudgetErrorCode, ...BudgetErrorCode[]]) {
  return codes ? z.intersection(problemSchema, z.object({ code: z.enum(codes) })) : problemSchema;
}
