import type { Budget } from "@budget/core";
import { budgetToRow } from "./rows.js";

/**
 * Budget writes with the change sequence (migration 0006), shared by both dialects with `?`
 * placeholders. Every write takes the next sequence number FIRST: on PostgreSQL the row lock on
 * `store_meta.budget_seq` then orders the numbers as the commits, and two writers never lock a
 * budget and the sequence in opposite orders.
 */
export const BUDGET_SQL = {
  takeSeq: "UPDATE store_meta SET value = value + 1 WHERE key = 'budget_seq' RETURNING value",
  upsert: `INSERT INTO budgets (id, definition, reset_at, created_at, updated_at, change_seq, active_until)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET definition = excluded.definition,
    reset_at = excluded.reset_at, created_at = excluded.created_at, updated_at = excluded.updated_at,
    change_seq = excluded.change_seq, active_until = excluded.active_until`,
  dropTombstone: "DELETE FROM budget_tombstones WHERE budget_id = ?",
  delete: "DELETE FROM budgets WHERE id = ?",
  tombstone: `INSERT INTO budget_tombstones (budget_id, change_seq) VALUES (?, ?)
    ON CONFLICT (budget_id) DO UPDATE SET change_seq = excluded.change_seq`,
} as const;

/** The parameters of {@link BUDGET_SQL.upsert}. */
export function budgetUpsertParams(budget: Budget, seq: number | bigint): unknown[] {
  const row = budgetToRow(budget);
  return [
    row.id,
    row.definition,
    row.reset_at,
    row.created_at,
    row.updated_at,
    seq,
    budget.activeUntil ?? null,
  ];
}

/** Thrown inside a delete's transaction when no budget had the id, to roll its sequence number back. */
export class NoBudgetDeleted extends Error {}
