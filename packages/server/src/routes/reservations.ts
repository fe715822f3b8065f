import type { ApiKeyRecord } from "@budget/core";
import {
  BudgetError,
  commitRequestSchema,
  commitResultToWire,
  commitResultWireSchema,
  pricedToWire,
  pricedWireSchema,
  recordRequestSchema,
  reservationToWire,
  reservationWireSchema,
  reserveRequestSchema,
  reserveResultToWire,
  reserveResultWireSchema,
  usageInputSchema,
} from "@budget/core";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { idParams, json } from "../app/inputs.js";
import { denialRateLimitHeaders } from "../app/rate-limit-headers.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";
import { assertScope } from "../auth/auth.js";

const commitBody = commitRequestSchema.omit({ reservationId: true });
/** The reservation id in the path, refused here by the engine's own rule rather than as a body field. */
const reservationParams = z.object({ id: commitRequestSchema.shape.reservationId });
const estimateBody = z
  .object({
    provider: z.string().min(1).max(256).optional(),
    model: z.string().min(1).max(256),
    usage: usageInputSchema,
    batch: z.boolean().optional(),
    /** Epoch ms: price at this instant (default now), e.g. a past call or a time-of-day rate. */
    at: z.number().int().min(0).max(8_640_000_000_000_000).optional(),
  })
  .strict();

/** The model (and provider) of each candidate of an unchecked reserve body (the engine validates it). */
export function candidatesOf(body: { candidates?: unknown }): { model?: string; provider?: string }[] {
  if (!Array.isArray(body.candidates)) return [];
  return body.candidates.map((c: unknown) => {
    const o = (typeof c === "string" ? { model: c } : (c ?? {})) as Record<string, unknown>;
    return {
      ...(typeof o.model === "string" ? { model: o.model } : {}),
      ...(typeof o.provider === "string" ? { provider: o.provider } : {}),
    };
  });
}

/** A writer restricted to components/projects may settle only its own reservations: throws `forbidden` otherwise. */
export function ownReservationCheck(d: RouteDeps): (key: ApiKeyRecord | null, id: string) => Promise<void> {
  return async (key, id) => {
    if (!key || key.role === "admin" || (!key.components && !key.projects)) return;
    const r = await d.store.getReservation(id);
    if (!r) throw new BudgetError("not_found", `reservation ${id} not found`, { reservationId: id });
    assertScope(key, r.dimensions);
  };
}

/** Reserve, commit, release, record and estimate: the spending path. */
export function reservationRoutes(d: RouteDeps): RouteDef[] {
  const assertOwnReservation = ownReservationCheck(d);
  return [
    defineRoute({
      method: "post",
      path: "/v1/reservations",
      writerScope: "dimensions",
      role: "writer",
      tag: "reservations",
      summary: "Reserve before a call: a hold on every matching budget, or a denial naming the budget",
      body: reserveRequestSchema,
      bodyCheck: "engine",
      response: {
        description:
          "`status: allowed` with the reservation, or `status: denied` with the denial; a denial carries `Retry-After` (when waiting can help) and the IETF `RateLimit-Policy` and `RateLimit` headers",
        schema: reserveResultWireSchema,
      },
      errors: ["idempotency_conflict", "amount_too_large", "counter_overflow"],
      handler: async ({ body, key, c }) => {
        if (key) assertScope(key, body.dimensions);
        // Each candidate is a call with its own model: a key that fixes the model must allow every one.
        if (key) for (const cand of candidatesOf(body)) assertScope(key, { ...body.dimensions, ...cand });
        // A caller that goes away stops its wait.
        const result = await d.engine.reserve(body, { signal: c.req.raw.signal });
        const headers = result.status === "denied" ? denialRateLimitHeaders(result.denial) : {};
        return json(reserveResultToWire(result), 200, headers);
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/reservations/{id}",
      role: "reader",
      tag: "reservations",
      summary: "Show a reservation",
      params: idParams,
      response: { description: "The reservation", schema: reservationWireSchema },
      errors: ["not_found"],
      handler: async ({ params }) => {
        const r = await d.store.getReservation(params.id);
        if (!r) throw new BudgetError("not_found", `reservation ${params.id} not found`);
        return json(reservationToWire(r));
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/reservations/{id}/commit",
      writerScope: "reservation",
      role: "writer",
      tag: "reservations",
      summary: "Settle a reservation with the actual usage (idempotent)",
      params: reservationParams,
      body: commitBody,
      bodyCheck: "engine",
      response: { description: "The ledger event and any threshold alerts", schema: commitResultWireSchema },
      errors: [
        "not_found",
        "reservation_not_active",
        "idempotency_conflict",
        "unknown_model",
        "amount_too_large",
        "counter_overflow",
      ],
      handler: async ({ params, body, key }) => {
        await assertOwnReservation(key, params.id);
        return json(commitResultToWire(await d.engine.commit({ ...body, reservationId: params.id })));
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/reservations/{id}/release",
      writerScope: "reservation",
      role: "writer",
      tag: "reservations",
      summary: "Drop a reservation unused",
      params: idParams,
      response: { description: "The reservation, now released", schema: reservationWireSchema },
      errors: ["not_found", "reservation_not_active"],
      handler: async ({ params, key }) => {
        await assertOwnReservation(key, params.id);
        return json(reservationToWire(await d.engine.release(params.id)));
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/usage",
      writerScope: "dimensions",
      role: "writer",
      tag: "usage",
      summary: "Record usage without a prior reservation (idempotent with idempotencyKey)",
      body: recordRequestSchema,
      bodyCheck: "engine",
      response: {
        status: 201,
        alsoStatus: [200],
        description: "The ledger event and any threshold alerts (200: a duplicate of an earlier record)",
        schema: commitResultWireSchema,
      },
      errors: ["idempotency_conflict", "unknown_model", "amount_too_large", "counter_overflow"],
      handler: async ({ body, key }) => {
        if (key) assertScope(key, body.dimensions);
        const result = await d.engine.record(body);
        return json(commitResultToWire(result), result.status === "committed" ? 201 : 200);
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/estimate",
      role: "reader",
      tag: "prices",
      summary: "What would this usage cost",
      body: estimateBody,
      response: {
        description: "The cost and the price version, or `ok: false` for an unknown model",
        schema: pricedWireSchema,
      },
      errors: ["amount_too_large"],
      handler: async ({ body }) => {
        const input: Parameters<typeof d.engine.estimateCost>[0] = { model: body.model, usage: body.usage };
        if (body.provider !== undefined) input.provider = body.provider;
        if (body.batch !== undefined) input.batch = body.batch;
        if (body.at !== undefined) input.at = body.at;
        return json(pricedToWire(await d.engine.estimateCost(input)));
      },
    }),
  ];
}
