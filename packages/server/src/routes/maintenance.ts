import {
  dimensionsSchema,
  priceVersionSchema,
  randomIds,
  reconcileToWire,
  reconcileWireSchema,
  repriceSummarySchema,
} from "@budget/core";
import { repriceRange } from "@budget/prices";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { json } from "../app/inputs.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";

const instant = z.union([
  z.number().int().nonnegative(),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

const repriceBody = z
  .object({
    from: instant,
    to: instant,
    dimensions: dimensionsSchema.optional(),
    /** Price the range as the catalog stood at this instant, or with these versions as if always in force. */
    target: z.union([
      z.object({ at: instant }).strict(),
      z.object({ prices: z.array(priceVersionSchema).min(1).max(1000) }).strict(),
    ]),
    /** False (default): a dry run. True: append the adjustment events. */
    apply: z.boolean().default(false),
  })
  .strict()
  .refine((b) => b.from < b.to, { message: "from must be before to", path: ["from"] });

/** Ledger maintenance: reconcile counters with the ledger; reprice a time range. */
export function maintenanceRoutes(d: RouteDeps): RouteDef[] {
  return [
    defineRoute({
      method: "post",
      path: "/v1/reconcile",
      role: "admin",
      tag: "maintenance",
      summary: "Recompute every counter from the ledger; report drift (and repair it with `repair: true`)",
      body: z
        .object({ repair: z.boolean().default(false) })
        .strict()
        .optional(),
      response: { description: "Events read and the counters that drifted", schema: reconcileWireSchema },
      handler: async ({ body }) => {
        const repair = body?.repair ?? false;
        const result = await d.engine.reconcile({ repair });
        d.metrics.observeReconcile(result);
        return json(reconcileToWire(result, repair));
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/prices/reprice",
      role: "admin",
      tag: "prices",
      summary: "What a time range would cost under other prices (dry run); with `apply`, adjustment events",
      body: repriceBody,
      response: {
        description: "The plan's totals, and what was written when applied",
        schema: repriceSummarySchema,
      },
      handler: async ({ body }) =>
        json(
          await repriceRange({
            ...body,
            store: d.store,
            catalog: d.catalog,
            clock: d.engine.clock,
            ids: randomIds,
            appendEvent: (e) => d.engine.appendEvent(e),
          }),
        ),
    }),
  ];
}
