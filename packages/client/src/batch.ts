import type {
  BudgetError,
  CommitRequest,
  CommitResult,
  RecordRequest,
  Reservation,
  ReserveRequest,
  ReserveResult,
} from "@budget/core";
import {
  type CommitResultWire,
  commitResultFromWire,
  MAX_BATCH_OPERATIONS,
  type ReservationWire,
  type ReserveResultWire,
  reservationFromWire,
  reserveResultFromWire,
} from "@budget/core";
import { problemToError } from "./http.js";

/** One operation of a batch: what the client method of the same name takes. */
export type BatchOperation =
  | { op: "reserve"; request: ReserveRequest }
  | { op: "commit"; request: CommitRequest }
  | { op: "release"; reservationId: string }
  | { op: "record"; request: RecordRequest };

/** One operation's outcome: what its own method returns, or the `BudgetError` it would throw. */
export type BatchResult =
  | { ok: true; op: "reserve"; result: ReserveResult }
  | { ok: true; op: "commit" | "record"; result: CommitResult }
  | { ok: true; op: "release"; result: Reservation }
  | { ok: false; op: BatchOperation["op"]; error: BudgetError };

/** `POST /v1/batch` with at most {@link MAX_BATCH_OPERATIONS} operations: the API's `batch`. */
export type SendBatch = (
  operations: readonly BatchOperation[],
) => Promise<{ results: { status: number; body: unknown }[] }>;

/**
 * Sends `operations` as `POST /v1/batch` requests of at most {@link MAX_BATCH_OPERATIONS} each and returns
 * one result per operation, in order. Operations of one batch are independent (a commit cannot
 * name a reservation made in the same batch: its id is not known yet).
 */
export async function batchOperations(
  send: SendBatch,
  operations: readonly BatchOperation[],
): Promise<BatchResult[]> {
  const chunks: BatchOperation[][] = [];
  for (let i = 0; i < operations.length; i += MAX_BATCH_OPERATIONS)
    chunks.push(operations.slice(i, i + MAX_BATCH_OPERATIONS));
  const answers = await Promise.all(chunks.map(send));
  return answers.flatMap((answer, c) =>
    answer.results.map((r, i) => resultFromWire(chunks[c]?.[i]?.op ?? "reserve", r)),
  );
}

function resultFromWire(op: BatchOperation["op"], r: { status: number; body: unknown }): BatchResult {
  if (r.status >= 400) return { ok: false, op, error: problemToError(r.status, JSON.stringify(r.body)) };
  if (op === "reserve") return { ok: true, op, result: reserveResultFromWire(r.body as ReserveResultWire) };
  if (op === "release") return { ok: true, op, result: reservationFromWire(r.body as ReservationWire) };
  return { ok: true, op, result: commitResultFromWire(r.body as CommitResultWire) };
}
