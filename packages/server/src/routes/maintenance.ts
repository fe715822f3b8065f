import { dimensionsSchema, formatUsd, priceVersionSchema, randomIds } from "@budget/core";
import { applyReprice, planReprice } from "@budget/prices";
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

const amountsToWire = (a: { tokens: number; costNanoUsd: bigint; requests: number }) => ({
  tokens: a.tokens,
  costUsd: formatUsd(a.costNanoUsd),
  requests: a.requests,
});

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
      response: { description: "Events read and the counters that drifted" },
      handler: async ({ body }) => {
        const repair = body?.repair ?? false;
        const result = await d.engine.reconcile({ repair });
        return json({
          events: result.events,
          repaired: repair,
          drift: result.drift.map((x) => ({
            key: x.key,
            stored: amountsToWire(x.stored),
            ledger: amountsToWire(x.ledger),
          })),
        });
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/prices/reprice",
      role: "admin",
      tag: "prices",
      summary: "What a time range would cost under other prices (dry run); with `apply`, adjustment events",
      body: repriceBody,
      response: { description: "The plan's totals, and what was written when applied" },
      handler: async ({ body }) => {
        const plan = await planReprice({
          store: d.store,
          from: body.from,
          to: body.to,
          ...(body.dimensions ? { dimensions: body.dimensions } : {}),
          target:
            "at" in body.target
              ? { atInstant: body.target.at, catalog: d.catalog }
              : { priceOverrides: body.target.prices },
        });
        const applied = body.apply
          ? await applyReprice(plan, {
              clock: d.engine.clock,
              ids: randomIds,
              record: (e) => d.engine.appendEvent(e),
            })
          : null;
        return json({
          planId: plan.id,
          from: plan.from,
          to: plan.to,
          totals: plan.totals,
          changed: plan.lines.filter((l) => l.deltaNanoUsd !== 0n).length,
          skipped: plan.skipped.length,
          applied,
        });
      },
    }),
  ];
}
