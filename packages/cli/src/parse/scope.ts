import type { Scope } from "@budget/core";
import { DIMENSIONS, type Dimension } from "@budget/core/basics";
import { usageError } from "../exit-codes.js";
import { splitList } from "./values.js";

/**
 * Applies `--scope key=value` flags to a scope: `value` selects one value, `each` keeps a
 * separate counter per distinct value, `*` (or empty) removes the selector; `tags=a,b` sets tags.
 */
export function applyScopeFlags(base: Scope, flags: readonly string[]): Scope {
  const scope: Scope = { ...base };
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    if (eq <= 0) throw usageError(`--scope ${flag}: use key=value, e.g. component=planner or worker=each`);
    const key = flag.slice(0, eq).trim();
    const value = flag.slice(eq + 1).trim();
    if (key === "tags") {
      const tags = splitList(value);
      if (tags.length > 0) scope.tags = tags;
      else delete scope.tags;
      continue;
    }
    const dim = DIMENSIONS.find(
      (d) => d === key || d.toLowerCase() === key.toLowerCase().replace(/[-_]/g, ""),
    );
    if (!dim)
      throw usageError(`--scope ${flag}: unknown dimension "${key}"; use ${DIMENSIONS.join(", ")} or tags`);
    setScopeValue(scope, dim, value);
  }
  return scope;
}

function setScopeValue(scope: Scope, dim: Dimension, value: string): void {
  if (value === "" || value === "*") delete scope[dim];
  else scope[dim] = value === "each" ? { each: true } : value;
}

/** A scope for people: "component=planner worker=each", or "everything". */
export function describeScope(scope: Scope): string {
  const parts: string[] = [];
  for (const d of DIMENSIONS) {
    const v = scope[d];
    if (v !== undefined) parts.push(`${d}=${typeof v === "string" ? v : "each"}`);
  }
  if (scope.tags?.length) parts.push(`tags=${scope.tags.join(",")}`);
  return parts.length > 0 ? parts.join(" ") : "everything";
}
