import type { Alert, ReserveWarning } from "@budget/core";

/** A budget warning surfaced to the orchestrator: a threshold crossed, or a soft limit passed. */
export interface BudgetWarning {
  /** `threshold`: a share of a limit was reached; `over_limit`: a warn-only limit was passed. */
  kind: "threshold" | "over_limit";
  budgetId: string;
  limitId: string;
  partition: string | null;
  /** The threshold crossed (0.8 = 80 %), for `threshold` warnings. */
  threshold: number | null;
  message: string;
  workerId: string | null;
  taskId: string | null;
}

/** Receives warnings; in soft mode the worker goes on after it. */
export type WarningListener = (warning: BudgetWarning) => void;

/** Warnings from a commit's threshold alerts. */
export function warningsFromAlerts(
  alerts: Alert[],
  who: { workerId: string | null; taskId: string | null },
): BudgetWarning[] {
  return alerts
    .filter((a) => a.type === "threshold")
    .map((a) => ({
      kind: "threshold" as const,
      budgetId: String(a.data.budgetId ?? ""),
      limitId: String(a.data.limitId ?? ""),
      partition: typeof a.data.partition === "string" && a.data.partition !== "" ? a.data.partition : null,
      threshold: typeof a.data.threshold === "number" ? a.data.threshold : null,
      message: a.message,
      ...who,
    }));
}

/** Warnings from a reservation allowed past warn-only limits. */
export function warningsFromReserve(
  warnings: ReserveWarning[],
  who: { workerId: string | null; taskId: string | null },
): BudgetWarning[] {
  return warnings.map((w) => ({
    kind: "over_limit" as const,
    budgetId: w.budgetId,
    limitId: w.limitId,
    partition: null,
    threshold: null,
    message: w.message,
    ...who,
  }));
}
