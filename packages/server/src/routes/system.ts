import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { json } from "../app/inputs.js";
import { problemResponse } from "../app/problem.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";

/** Health, readiness, metrics and the OpenAPI document. */
export function systemRoutes(d: RouteDeps, app: OpenAPIHono): RouteDef[] {
  let doc: string | null = null;
  return [
    defineRoute({
      method: "get",
      path: "/healthz",
      role: "public",
      tag: "system",
      summary: "Liveness: the process answers",
      response: { description: "OK", schema: z.strictObject({ status: z.literal("ok") }) },
      handler: () => json({ status: "ok" }),
    }),
    defineRoute({
      method: "get",
      path: "/readyz",
      role: "public",
      tag: "system",
      summary: "Readiness: the store answers",
      response: { description: "Ready", schema: z.strictObject({ status: z.literal("ready") }) },
      errors: ["store_unavailable"],
      handler: async () => {
        const ok = await d.ready().catch(() => false);
        return ok
          ? json({ status: "ready" })
          : problemResponse({ status: 503, code: "store_unavailable", detail: "the store does not answer" });
      },
    }),
    defineRoute({
      method: "get",
      path: "/metrics",
      role: "reader",
      tag: "system",
      summary: "Prometheus metrics: requests, latency, reservations allowed/denied, spend, events",
      response: { description: "Prometheus text exposition", media: { "text/plain": z.string() } },
      handler: async () =>
        new Response(await d.metrics.render(), {
          headers: { "content-type": d.metrics.registry.contentType },
        }),
    }),
    defineRoute({
      method: "get",
      path: "/v1/openapi.json",
      role: "public",
      tag: "system",
      summary: "This API as an OpenAPI 3.1 document",
      response: {
        description: "The OpenAPI document",
        schema: z.looseObject({
          openapi: z.literal("3.1.0"),
          info: z.looseObject({}),
          paths: z.looseObject({}),
        }),
      },
      handler: () => {
        doc ??= JSON.stringify(
          app.getOpenAPI31Document({
            openapi: "3.1.0",
            info: {
              title: "Budget API",
              version: "1",
              description: "Token and dollar budgets for LLM usage. Money is a USD decimal string.",
            },
            security: [{ apiKey: [] }],
          }),
        );
        return new Response(doc, { headers: { "content-type": "application/json" } });
      },
    }),
  ];
}
