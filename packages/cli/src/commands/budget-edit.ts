import type { Budget, BudgetInput, Enforcement, Limit, Window } from "@budget/core";
import { CliError, EXIT, usageError } from "../exit-codes.js";
import { applyScopeFlags } from "../parse/scope.js";

/** One `budget set` invocation: budget-level fields and at most one limit's fields. */
export interface BudgetEdit {
  budgetId: string;
  name?: string;
  description?: string;
  timezone?: string;
  enabled?: boolean;
  /** `--scope key=value` flags, applied over the current scope. */
  scope?: string[];
  /** The limit to create or change; defaults to the only limit, or the window's name. */
  limitId?: string;
  window?: Window;
  /** `null` removes the amount. */
  tokens?: number | null;
  cost?: string | null;
  requests?: number | null;
  concurrency?: number | null;
  priorityShare?: number | null;
  enforcement?: Enforcement;
  thresholds?: number[];
  fallbackModel?: string | null;
  /** Removes this limit instead. */
  removeLimit?: string;
}

const LIMIT_FIELDS = [
  "window",
  "tokens",
  "cost",
  "requests",
  "concurrency",
  "priorityShare",
  "enforcement",
  "thresholds",
  "fallbackModel",
] as const;

function defaultLimitId(window: Window): string {
  return window.type === "rolling" ? `rolling-${window.minutes}m` : window.type;
}

function chooseLimitId(limits: Limit[], edit: BudgetEdit): string {
  if (edit.limitId) return edit.limitId;
  const only = limits.length === 1 ? limits[0] : undefined;
  if (only) return only.id;
  if (limits.length === 0) {
    if (!edit.window) throw usageError("a new budget needs --window (e.g. --window day) and an amount");
    return defaultLimitId(edit.window);
  }
  throw usageError(
    `budget ${edit.budgetId} has several limits (${limits.map((l) => l.id).join(", ")}): name one with --limit`,
  );
}

function setOrDelete<
  K extends "tokens" | "cost" | "requests" | "concurrency" | "priorityShare" | "fallbackModel",
>(limit: Record<string, unknown>, key: K, value: unknown): void {
  if (value === undefined) return;
  if (value === null) delete limit[key];
  else limit[key] = value;
}

function editLimit(limits: Limit[], edit: BudgetEdit): Limit[] {
  const id = chooseLimitId(limits, edit);
  const current = limits.find((l) => l.id === id);
  if (!current && !edit.window)
    throw usageError(`limit ${id} is new: give its --window (e.g. --window month)`);
  const next: Record<string, unknown> = { ...(current ?? { id }) };
  if (edit.window) next.window = edit.window;
  if (edit.enforcement) next.enforcement = edit.enforcement;
  if (edit.thresholds) next.thresholds = edit.thresholds;
  setOrDelete(next, "tokens", edit.tokens);
  setOrDelete(next, "cost", edit.cost);
  setOrDelete(next, "requests", edit.requests);
  setOrDelete(next, "concurrency", edit.concurrency);
  setOrDelete(next, "priorityShare", edit.priorityShare);
  setOrDelete(next, "fallbackModel", edit.fallbackModel);
  const limit = next as unknown as Limit;
  return current ? limits.map((l) => (l.id === id ? limit : l)) : [...limits, limit];
}

/**
 * The budget after one `budget set`: budget-level fields replaced where given, one limit created
 * or changed (other limits kept as they are), or one limit removed. Validation is the engine's.
 */
export function applyBudgetEdit(existing: Budget | null, edit: BudgetEdit): BudgetInput {
  const input: BudgetInput = existing
    ? {
        id: existing.id,
        scope: existing.scope,
        limits: existing.limits,
        timezone: existing.timezone,
        enabled: existing.enabled,
        ...(existing.name !== undefined ? { name: existing.name } : {}),
        ...(existing.description !== undefined ? { description: existing.description } : {}),
        ...(existing.overrides !== undefined ? { overrides: existing.overrides } : {}),
      }
    : { id: edit.budgetId, limits: [] };
  if (edit.name !== undefined) input.name = edit.name;
  if (edit.description !== undefined) input.description = edit.description;
  if (edit.timezone !== undefined) input.timezone = edit.timezone;
  if (edit.enabled !== undefined) input.enabled = edit.enabled;
  if (edit.scope?.length) input.scope = applyScopeFlags(input.scope ?? {}, edit.scope);
  let limits = [...(input.limits as Limit[])];
  if (edit.removeLimit) {
    if (!limits.some((l) => l.id === edit.removeLimit))
      throw new CliError(
        `budget ${edit.budgetId} has no limit ${edit.removeLimit}`,
        EXIT.notFound,
        "not_found",
      );
    limits = limits.filter((l) => l.id !== edit.removeLimit);
  }
  const touchesLimit = LIMIT_FIELDS.some((f) => edit[f] !== undefined) || edit.limitId !== undefined;
  if (touchesLimit) limits = editLimit(limits, edit);
  else if (!existing)
    throw usageError(
      "a new budget needs --window (e.g. --window day) and an amount (--tokens, --cost or --requests)",
    );
  input.limits = limits;
  return input;
}
