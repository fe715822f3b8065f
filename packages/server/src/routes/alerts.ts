import { alertSchema, BudgetError, pageWireSchema } from "@budget/core";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { idParams, json, pageQuery } from "../app/inputs.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";

/** Alerts: list, acknowledge. */
export function alertRoutes(d: RouteDeps): RouteDef[] {
  return [
    defineRoute({
      method: "get",
      path: "/v1/alerts",
      role: "reader",
      tag: "alerts",
      summary: "Threshold crossings, denials and price alerts, newest first (`budgetId`: those naming it)",
      query: z.object({
        unacknowledged: z.enum(["true", "false"]).optional(),
        budgetId: z
          .string()
          .min(1)
          .max(256)
          .optional()
          .meta({ description: "Only alerts naming this budget" }),
        ...pageQuery,
      }),
      response: { description: "A page of alerts", schema: pageWireSchema(alertSchema) },
      handler: async ({ query }) => {
        const page = await d.store.listAlerts({
          unacknowledgedOnly: query.unacknowledged === "true",
          ...(query.budgetId ? { budgetId: query.budgetId } : {}),
          limit: query.limit,
          ...(query.cursor ? { cursor: query.cursor } : {}),
        });
        return json({ items: page.alerts, nextCursor: page.nextCursor });
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/alerts/{id}/ack",
      role: "admin",
      tag: "alerts",
      summary: "Acknowledge an alert",
      params: idParams,
      response: { description: "Acknowledged", schema: z.strictObject({ acknowledged: z.literal(true) }) },
      errors: ["not_found"],
      handler: async ({ params }) => {
        const at = d.engine.clock.now();
        if (!(await d.store.acknowledgeAlert(params.id, at)))
          throw new BudgetError("not_found", `alert ${params.id} not found or already acknowledged`);
        // Live views (the dashboard's open-alerts badge) follow an acknowledgement made elsewhere.
        d.hub.publish("alert_ack", { id: params.id, acknowledgedAt: at });
        return json({ acknowledged: true });
      },
    }),
  ];
}
