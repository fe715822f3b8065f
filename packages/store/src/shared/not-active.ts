import { BudgetError, type Reservation } from "@budget/core";

/** The error of settling a reservation that is not active (unknown, committed, released, expired). */
export function notActive(id: string, r: Reservation | null): BudgetError {
  return new BudgetError("reservation_not_active", `reservation ${id} is ${r?.status ?? "unknown"}`, {
    reservationId: id,
    status: r?.status ?? null,
  });
}
