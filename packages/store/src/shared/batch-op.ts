import type { CounterHold, CounterIncrement, Reservation, UsageEvent } from "@budget/core";

/** An atomic store operation queued for group commit (the `Store` methods of the same names). */
export type BatchOp =
  | { kind: "reserve"; reservation: Reservation; holds: CounterHold[] }
  | { kind: "commit"; event: UsageEvent; increments: CounterIncrement[] }
  | { kind: "release"; reservationId: string; status: "released" | "expired" };
