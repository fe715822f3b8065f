import {
  BudgetError,
  buildRunReport,
  buildUsageReport,
  finishRunInputSchema,
  keyScopeSchema,
  ROLES,
  runReportToCsv,
  startRunInputSchema,
} from "@budget/core";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { idParams, json, pageOf, pageQuery } from "../app/inputs.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";
import { assertMayManageRun, runStarterOf } from "../auth/auth.js";

const createKeyBody = z
  .object({ name: z.string().min(1).max(200), role: z.enum(ROLES) })
  .extend(keyScopeSchema.shape)
  .strict();

/** Alerts, API keys and orchestration runs. */
export function adminRoutes(d: RouteDeps): RouteDef[] {
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
      response: { description: "A page of alerts" },
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
      response: { description: "Acknowledged" },
      handler: async ({ params }) => {
        const at = d.engine.clock.now();
        if (!(await d.store.acknowledgeAlert(params.id, at)))
          throw new BudgetError("not_found", `alert ${params.id} not found or already acknowledged`);
        // Live views (the dashboard's open-alerts badge) follow an acknowledgement made elsewhere.
        d.hub.publish("alert_ack", { id: params.id, acknowledgedAt: at });
        return json({ acknowledged: true });
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/keys",
      role: "admin",
      tag: "keys",
      summary: "API keys (hashes and secrets are never shown)",
      query: z.object(pageQuery),
      response: { description: "A page of keys" },
      handler: async ({ query }) => {
        const keys = (await d.auth.listKeys()).map(({ hash: _h, ...k }) => k);
        return json(pageOf(keys, query.limit, query.cursor));
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/keys",
      role: "admin",
      tag: "keys",
      summary: "Create an API key; the secret is in this response only",
      body: createKeyBody,
      response: { status: 201, description: "The key record and its secret" },
      handler: async ({ body }) => {
        const { key, record } = await d.auth.createKey(body);
        const { hash: _h, ...shown } = record;
        return json({ key, ...shown }, 201);
      },
    }),
    defineRoute({
      method: "delete",
      path: "/v1/keys/{id}",
      role: "admin",
      tag: "keys",
      summary: "Revoke an API key",
      params: idParams,
      response: { description: "The revoked key" },
      handler: async ({ params }) => {
        const { hash: _h, ...shown } = await d.auth.revokeKey(params.id);
        return json(shown);
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/runs",
      role: "reader",
      tag: "runs",
      summary: "Orchestration runs, newest first",
      query: z.object(pageQuery),
      response: { description: "A page of runs" },
      handler: async ({ query }) =>
        json(
          await d.engine.listRuns({ limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) }),
        ),
    }),
    defineRoute({
      method: "post",
      path: "/v1/runs",
      writerScope: "run",
      role: "writer",
      tag: "runs",
      summary:
        "Start a run (a running run with the same id is returned to the key that started it); the run records its key",
      body: startRunInputSchema,
      response: { status: 201, description: "The run" },
      handler: async ({ body, key }) => {
        const existing = body.id !== undefined ? await d.engine.getRun(body.id) : null;
        if (existing) assertMayManageRun(key, existing);
        return json(await d.engine.startRun(body, key ? { startedBy: runStarterOf(key) } : {}), 201);
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/runs/{id}",
      role: "reader",
      tag: "runs",
      summary: "Show a run",
      params: idParams,
      response: { description: "The run" },
      handler: async ({ params }) => {
        const run = await d.engine.getRun(params.id);
        if (!run) throw new BudgetError("not_found", `run ${params.id} not found`);
        return json(run);
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/runs/{id}/report",
      role: "reader",
      tag: "runs",
      summary:
        "A run's report: its record and its tokens and cost in total, per worker, task and model (JSON or CSV)",
      params: idParams,
      query: z.object({ format: z.enum(["json", "csv"]).default("json") }),
      response: { description: "The run report" },
      handler: async ({ params, query }) => {
        const run = await d.engine.getRun(params.id);
        if (!run) throw new BudgetError("not_found", `run ${params.id} not found`);
        const report = buildRunReport(run, await buildUsageReport(d.engine, run.id));
        if (query.format === "json") return json(report);
        return new Response(runReportToCsv(report), {
          headers: {
            "content-type": "text/csv; charset=utf-8",
            "content-disposition": `attachment; filename="run-${run.id}.csv"`,
          },
        });
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/runs/{id}/finish",
      writerScope: "run",
      role: "writer",
      tag: "runs",
      summary: "End a run with its status and summary (writers: only a run they started)",
      params: idParams,
      body: finishRunInputSchema,
      response: { description: "The run" },
      handler: async ({ params, body, key }) => {
        const run = await d.engine.getRun(params.id);
        if (!run) throw new BudgetError("not_found", `run ${params.id} not found`);
        assertMayManageRun(key, run);
        return json(await d.engine.finishRun(params.id, body));
      },
    }),
  ];
}
