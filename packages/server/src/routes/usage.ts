import {
  DIMENSIONS,
  type EventQuery,
  pageWireSchema,
  reportQuerySchema,
  reportRowToWire,
  reportRowWireSchema,
  timeZoneSchema,
  usageEventToWire,
  usageEventWireSchema,
} from "@budget/core";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { dimensionQuery, dimensionsFromQuery, instantParam, json, pageQuery } from "../app/inputs.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";
import { exportUsage } from "../export/usage-export.js";

const rangeQuery = { from: instantParam.optional(), to: instantParam.optional(), ...dimensionQuery };

function eventQuery(
  q: { from?: number | undefined; to?: number | undefined } & Record<string, unknown>,
): EventQuery {
  const query: EventQuery = {};
  if (q.from !== undefined) query.from = q.from;
  if (q.to !== undefined) query.to = q.to;
  const dims = dimensionsFromQuery(q as never);
  if (dims) query.dimensions = dims;
  return query;
}

const reportResponse = {
  description: "Report rows",
  schema: z.strictObject({ items: z.array(reportRowWireSchema) }),
};

const reportGetQuery = z.object({
  ...rangeQuery,
  groupBy: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(",").filter(Boolean) : []))
    .pipe(z.array(z.enum(DIMENSIONS))),
  bucket: z.enum(["none", "hour", "day", "week", "month"]).default("none"),
  timezone: timeZoneSchema,
});

/** The ledger: list, export, and reports grouped by any dimensions × a time bucket. */
export function usageRoutes(d: RouteDeps): RouteDef[] {
  const runReport = async (q: z.input<typeof reportQuerySchema>) => ({
    items: (await d.engine.report(q)).map(reportRowToWire),
  });
  return [
    defineRoute({
      method: "get",
      path: "/v1/usage",
      role: "reader",
      tag: "usage",
      summary: "Ledger events, oldest first (order=desc: newest first), paginated",
      query: z.object({ ...rangeQuery, ...pageQuery, order: z.enum(["asc", "desc"]).default("asc") }),
      response: { description: "A page of usage events", schema: pageWireSchema(usageEventWireSchema) },
      handler: async ({ query }) => {
        const page = await d.store.listEvents({
          ...eventQuery(query),
          limit: query.limit,
          order: query.order,
          ...(query.cursor ? { cursor: query.cursor } : {}),
        });
        return json({ items: page.events.map(usageEventToWire), nextCursor: page.nextCursor });
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/usage/export",
      role: "reader",
      tag: "usage",
      summary: "Stream the ledger as CSV or JSON",
      query: z.object({ ...rangeQuery, format: z.enum(["csv", "json"]).default("csv") }),
      response: {
        description: "Every matching event, streamed: CSV (`format=csv`, the default) or a JSON array",
        media: { "text/csv": z.string(), "application/json": z.array(usageEventWireSchema) },
      },
      handler: ({ query }) => {
        const csv = query.format === "csv";
        return new Response(exportUsage(d.store, eventQuery(query), query.format), {
          headers: {
            "content-type": csv ? "text/csv; charset=utf-8" : "application/json",
            "content-disposition": `attachment; filename="usage.${query.format}"`,
          },
        });
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/reports",
      role: "reader",
      tag: "reports",
      summary: "Usage grouped by dimensions (groupBy=model,provider) × bucket (hour/day/week/month)",
      query: reportGetQuery,
      response: reportResponse,
      handler: async ({ query }) => {
        const q: z.input<typeof reportQuerySchema> = {
          groupBy: query.groupBy,
          bucket: query.bucket,
          timezone: query.timezone,
        };
        if (query.from !== undefined) q.from = query.from;
        if (query.to !== undefined) q.to = query.to;
        const dims = dimensionsFromQuery(query);
        if (dims) q.dimensions = dims;
        return json(await runReport(q));
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/reports",
      role: "reader",
      tag: "reports",
      summary: "Usage report with the query as a JSON body",
      body: reportQuerySchema,
      response: reportResponse,
      handler: async ({ body }) => json(await runReport(body)),
    }),
  ];
}
