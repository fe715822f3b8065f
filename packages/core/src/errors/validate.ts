import type { z } from "zod";
import { BudgetError } from "./budget-error.js";

/**
 * Parses `input` with `schema`, turning a zod failure into a `BudgetError("invalid_input")`
 * whose message names the first offending field.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  const first = issues[0];
  const where = first?.path ? `${what}.${first.path}` : what;
  throw new BudgetError("invalid_input", `${where}: ${first?.message ?? "invalid"}`, { issues });
}
