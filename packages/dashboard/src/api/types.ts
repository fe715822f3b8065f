/**
 * The HTTP API's JSON shapes the dashboard reads: the wire types of `@budget/core` and
 * `@budget/client` (money is a USD decimal string, instants are epoch milliseconds) and the core
 * types that travel unchanged.
 */

export type {
  BudgetStatusPageWire as BudgetStatusPage,
  Page,
  StatusSummaryWire as StatusSummary,
} from "@budget/client/api";
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
