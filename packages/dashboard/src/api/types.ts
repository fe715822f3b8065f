/**
 * The HTTP API's JSON shapes the dashboard reads: the wire types of `@budget/core` (money is a
 * USD decimal string, instants are epoch milliseconds) and the core types that travel unchanged.
 * Type-only imports: nothing of those packages is bundled.
 */
export type {
  AdviceItem,
  Alert,
  AmountsWire as Amounts,
  Budget,
  Dimension,
  LimitAmountsWire as LimitAmounts,
  LimitStatusWire as LimitStatus,
  PendingPriceChange,
  PriceVersion,
  Rate,
  ReportRowWire as ReportRow,
  RunRecord as Run,
  SpendAdvice,
  UsageEventWire as UsageEvent,
  Window,
} from "@budget/core";

import type {
  BudgetStatusPage as CoreBudgetStatusPage,
  StatusSummary as CoreStatusSummary,
  LimitStatusWire,
} from "@budget/core";

/** A page of a list endpoint. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** `GET /v1/status/summary`: core's summary with its top limits in wire form (money as strings). */
export type StatusSummary = Omit<CoreStatusSummary, "top"> & { top: LimitStatusWire[] };

/** `GET /v1/status/budgets`: core's page of budgets with their limit statuses in wire form. */
export type BudgetStatusPage = Omit<CoreBudgetStatusPage, "items"> & {
  items: (Omit<CoreBudgetStatusPage["items"][number], "limits"> & { limits: LimitStatusWire[] })[];
};
