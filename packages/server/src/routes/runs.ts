import {
  BudgetError,
  buildRunReport,
  buildUsageReport,
  finishRunInputSchema,
  runReportSchema,
  runReportToCsv,
  runSchema,
  startRunInputSchema,
} from "@budget/core";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { idParams, json, pageQuery } from "../app/inputs.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";
import { assertMayManageRun, runStarterOf } from "../auth/auth.js";

/** Orchestration runs: list, start, show, report, finish. */
export function runRoutes(d: RouteDeps): RouteDef[] {
  return [
    defineRoute({
      method: "get",
      path: "/v1/runs",
      role: "reader",
      tag: "runs",
      summary: "Orchestration runs, newest first",
      query: z.object(pageQuery),
      response: {
        description: "A page of runs",
        schema: z.strictObject({ runs: z.array(runSchema), nextCursor: z.string().nullable() }),
      },
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
      response: { status: 201, description: "The run", schema: runSchema },
      errors: ["conflict"],
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
      response: { description: "The run", schema: runSchema },
      errors: ["not_found"],
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
      response: {
        description: "The run report: JSON (`format=json`, the default) or CSV",
        media: { "application/json": runReportSchema, "text/csv": z.string() },
      },
      errors: ["not_found"],
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
      response: { description: "The run", schema: runSchema },
      errors: ["not_found", "conflict"],
      handler: async ({ params, body, key }) => {
        const run = await d.engine.getRun(params.id);
        if (!run) throw new BudgetError("not_found", `run ${params.id} not found`);
        assertMayManageRun(key, run);
        return json(await d.engine.finishRun(params.id, body));
      },
    }),
  ];
}
