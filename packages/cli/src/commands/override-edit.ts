import type { Budget, BudgetInput, Override } from "@budget/core";
import { usageError } from "../exit-codes.js";

/** One `budget override` invocation: the partition, and the amounts to set for one limit, or removal. */
export interface OverrideEdit {
  /** `key=value` pairs naming the partition, e.g. `user=alice`. */
  match: string[];
  /** The limit to override; default the budget's only limit. */
  limitId?: string;
  amounts: Override["limits"][string];
  remove?: boolean;
}

function parseMatch(pairs: readonly string[]): Override["match"] {
  const match: Record<string, string> = {};
  for (const pair of pairs) {
    const i = pair.indexOf("=");
    if (i <= 0 || i === pair.length - 1) throw usageError(`"${pair}" is not key=value (e.g. user=alice)`);
    match[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return match as Override["match"];
}

const sameMatch = (a: Override["match"], b: Override["match"]) => {
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length && ka.every((k) => a[k as keyof typeof a] === b[k as keyof typeof b])
  );
};

/**
 * The budget after one `budget override`: the partition's amounts for one limit set (merged with
 * what it overrides already), or its override removed. Everything else is kept; validation
 * (the match names the budget's `each` dimensions, the limit exists) is the engine's.
 */
export function applyOverrideEdit(existing: Budget, edit: OverrideEdit): BudgetInput {
  const { resetAt: _r, createdAt: _c, updatedAt: _u, ...input } = existing;
  const match = parseMatch(edit.match);
  const overrides = [...(existing.overrides ?? [])];
  const at = overrides.findIndex((o) => sameMatch(o.match, match));
  if (edit.remove) {
    if (at < 0) throw usageError(`budget ${existing.id} has no override for ${edit.match.join(",")}`);
    overrides.splice(at, 1);
  } else {
    const only = existing.limits.length === 1 ? existing.limits[0]?.id : undefined;
    const limitId = edit.limitId ?? only;
    if (!limitId) throw usageError(`budget ${existing.id} has several limits: name one with --limit`);
    if (Object.keys(edit.amounts).length === 0)
      throw usageError("give an amount: --tokens, --cost, --requests or --concurrency (0 blocks)");
    const prev: Override = at >= 0 ? overrides[at]! : { match, limits: {} };
    const next: Override = {
      match,
      limits: { ...prev.limits, [limitId]: { ...prev.limits[limitId], ...edit.amounts } },
    };
    if (at >= 0) overrides[at] = next;
    else overrides.push(next);
  }
  const { overrides: _o, ...rest } = input;
  return overrides.length > 0 ? { ...rest, overrides } : rest;
}
