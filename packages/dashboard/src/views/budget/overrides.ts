import type { Budget } from "../../api/types.js";

/** One override as the dashboard edits it. */
export type Override = NonNullable<Budget["overrides"]>[number];
/** The amounts an override gives one limit. */
export type OverrideAmounts = Override["limits"][string];

/** The budget's `each` dimensions: the ones an override's match names. */
export function eachDimensions(budget: Budget): string[] {
  return Object.entries(budget.scope ?? {})
    .filter(([, v]) => typeof v === "object" && v !== null && !Array.isArray(v))
    .map(([k]) => k);
}

const sameMatch = (a: Override["match"], b: Override["match"]) => {
  const ka = Object.keys(a) as (keyof typeof a)[];
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

/** A budget definition as `POST /v1/budgets` takes it: without the fields the store adds. */
export type BudgetBody = Omit<Budget, "resetAt" | "createdAt" | "updatedAt">;

/** The budget as the API takes it back, with `overrides` (none: the field is left out). */
function inputOf(budget: Budget, overrides: Override[]): BudgetBody {
  const { resetAt: _r, createdAt: _c, updatedAt: _u, overrides: _o, ...input } = budget;
  return overrides.length > 0 ? { ...input, overrides } : input;
}

/** The budget with `amounts` for one limit of the partition `match` (merged into its override). */
export function withOverride(
  budget: Budget,
  match: Override["match"],
  limitId: string,
  amounts: OverrideAmounts,
) {
  const list = [...(budget.overrides ?? [])];
  const at = list.findIndex((o) => sameMatch(o.match, match));
  const prev: Override = at >= 0 ? list[at]! : { match, limits: {} };
  const next: Override = {
    match,
    limits: { ...prev.limits, [limitId]: { ...prev.limits[limitId], ...amounts } },
  };
  if (at >= 0) list[at] = next;
  else list.push(next);
  return inputOf(budget, list);
}

/** The budget without the override of the partition `match`. */
export function withoutOverride(budget: Budget, match: Override["match"]) {
  return inputOf(
    budget,
    (budget.overrides ?? []).filter((o) => !sameMatch(o.match, match)),
  );
}
