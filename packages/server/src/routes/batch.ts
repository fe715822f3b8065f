import type { ApiKeyRecord } from "@budget/core";
import {
  BudgetError,
  commitRequestSchema,
  commitResultToWire,
  commitResultWireSchema,
  isBudgetError,
  MAX_BATCH_OPERATIONS,
  problemWireSchema,
  recordRequestSchema,
  reservationToWire,
  reservationWireSchema,
  reserveRequestSchema,
  reserveResultToWire,
  reserveResultWireSchema,
  validate,
} from "@budget/core";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { json } from "../app/inputs.js";
import { problemBody, problemOf } from "../app/problem.js";
import { requestIdOf } from "../app/request-id.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";
import { assertScope } from "../auth/auth.js";
import { candidatesOf, ownReservationCheck } from "./reservations.js";

const reservationId = commitRequestSchema.shape.reservationId;

/** The documented body: each operation takes what its own route (or client method) takes. */
const batchBodyDoc = z
  .object({
    operations: z
      .array(
        z.discriminatedUnion("op", [
          z.object({ op: z.literal("reserve"), request: reserveRequestSchema }).strict(),
          z.object({ op: z.literal("commit"), request: commitRequestSchema }).strict(),
          z.object({ op: z.literal("release"), reservationId }).strict(),
          z.object({ op: z.literal("record"), request: recordRequestSchema }).strict(),
        ]),
      )
      .min(1)
      .max(MAX_BATCH_OPERATIONS),
  })
  .strict()
  .meta({ id: "BatchRequest" });

/**
 * What the route checks itself: the envelope, each operation's kind and the ids of releases. Each
 * `request` is validated by the engine method it goes to, so a bad one fails only its operation.
 */
const batchEnvelope = z
  .object({
    operations: z
      .array(
        z.discriminatedUnion("op", [
          z.object({ op: z.enum(["reserve", "commit", "record"]), request: z.unknown() }).strict(),
          z.object({ op: z.literal("release"), reservationId }).strict(),
        ]),
      )
      .min(1)
      .max(MAX_BATCH_OPERATIONS),
  })
  .strict();

/** `results[i]`: the status and body `operations[i]`'s own route would have answered. */
const batchResponse = z.strictObject({
  results: z.array(
    z.strictObject({
      status: z.number().int(),
      body: z.union([
        reserveResultWireSchema,
        commitResultWireSchema,
        reservationWireSchema,
        problemWireSchema(),
      ]),
    }),
  ),
});

type Operation = z.output<typeof batchEnvelope>["operations"][number];

/** One operation's answer: the status and body its own route would have answered. */
interface OperationResult {
  status: number;
  body: unknown;
}

/** `POST /v1/batch`: many reserve/commit/release/record operations in one round trip. */
export function batchRoutes(d: RouteDeps): RouteDef[] {
  const assertOwnReservation = ownReservationCheck(d);
  const perform = async (op: Operation, key: ApiKeyRecord | null): Promise<OperationResult> => {
    if (op.op === "release") {
      await assertOwnReservation(key, op.reservationId);
      return { status: 200, body: reservationToWire(await d.engine.release(op.reservationId)) };
    }
    const request = (op.request ?? {}) as { dimensions?: never; reservationId?: unknown };
    if (op.op === "commit") {
      if (typeof request.reservationId === "string") await assertOwnReservation(key, request.reservationId);
      return { status: 200, body: commitResultToWire(await d.engine.commit(op.request as never)) };
    }
    if (key) assertScope(key, request.dimensions);
    if (op.op === "reserve") {
      if (key)
        for (const cand of candidatesOf(op.request as never))
          assertScope(key, { ...(request.dimensions ?? {}), ...cand });
      return { status: 200, body: reserveResultToWire(await d.engine.reserve(op.request as never)) };
    }
    const result = await d.engine.record(op.request as never);
    return { status: result.status === "committed" ? 201 : 200, body: commitResultToWire(result) };
  };
  return [
    defineRoute({
      method: "post",
      path: "/v1/batch",
      writerScope: "dimensions",
      role: "writer",
      tag: "reservations",
      summary: `Many reserve/commit/release/record operations (at most ${MAX_BATCH_OPERATIONS}) in one request, each with its own result`,
      body: batchBodyDoc,
      bodyCheck: "engine",
      response: {
        description:
          "`results[i]` answers `operations[i]`: the `status` and `body` its own route would have answered (a problem for a failed operation)",
        schema: batchResponse,
      },
      handler: async ({ body, key, c }) => {
        const { operations } = validate(batchEnvelope, body, "body");
        const requestId = requestIdOf(c);
        // Issued in one turn, so the store's group commit takes them in as few transactions as it can.
        const results = await Promise.all(
          operations.map((op, i) =>
            perform(op, key).catch((err: unknown) => {
              const problem = problemOf(relocate(err, i), requestId);
              if (problem.status >= 500)
                d.logger.error(
                  { requestId, route: "/v1/batch", operation: i, err },
                  "batch operation failed",
                );
              return { status: problem.status, body: problemBody(problem) };
            }),
          ),
        );
        return json({ results });
      },
    }),
  ];
}

/** An engine's `invalid_input` with its paths under the operation (`operations.3.request.estimate`). */
export function relocate(err: unknown, index: number): unknown {
  if (!isBudgetError(err, "invalid_input")) return err;
  const issues = err.details.issues as { path: string; message: string }[] | undefined;
  if (!issues) return err;
  const where = `body.operations.${index}.request`;
  const moved = issues.map((i) => ({ path: i.path ? `${where}.${i.path}` : where, message: i.message }));
  const first = moved[0];
  return new BudgetError("invalid_input", first ? `${first.path}: ${first.message}` : err.message, {
    ...err.details,
    issues: moved,
  });
}
