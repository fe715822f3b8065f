import { BudgetError } from "@budget/core";

/** An opaque page cursor: the sort value and id of the last item returned. */
export function encodeCursor(sortValue: number, id: string): string {
  return Buffer.from(`${sortValue}:${id}`, "utf8").toString("base64url");
}

/** Reads a cursor made by {@link encodeCursor}; anything else is `invalid_input`. */
export function decodeCursor(cursor: string): { sortValue: number; id: string } {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^(-?\d+):(.+)$/s.exec(text);
  if (!match) throw new BudgetError("invalid_input", "invalid page cursor", { cursor });
  return { sortValue: Number(match[1]), id: match[2]! };
}

/** The page size asked for, within 1..10 000 (default 100). */
export function pageLimit(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? 100), 1), 10_000);
}
