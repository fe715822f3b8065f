import type { ApiKeyRecord } from "@budget/core";
import {
  BudgetError,
  budgetInputSchema,
  budgetPassesFilter,
  budgetSchema,
  budgetStatusPageWireSchema,
  budgetStatusQuerySchema,
  limitSchema,
  limitStatusToWire,
  limitStatusWireSchema,
  pageWireSchema,
  type StatusQuery,
  type StatusSummaryQuery,
  statusSummaryWireSchema,
  validate,
} from "@budget/core";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { idParams, json, pageOf, pageQuery } from "../app/inputs.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";
import { assertMayManageBudget, runOfBudgetId } from "../auth/auth.js";

const budgetBody = z.record(z.string(), z.unknown()).meta({
  description: "A budget definition (scope, limits, timezone); `id` may be omitted (taken from the path)",
});
const flag = z.enum(["true", "false"]).optional();
const limitParams = z.object({ id: z.string().min(1).max(256), limitId: z.string().min(1).max(64) });

/** Budgets, their limits, resets and live status. */
export function budgetRoutes(d: RouteDeps): RouteDef[] {
  /** Writers may manage only a run's own budgets: checked against the stored scope and any new one. */
  const assertMayManage = async (key: ApiKeyRecord | null, id: string, change?: { scope: unknown }) => {
    if (!key || key.role === "admin") return;
    const runId = runOfBudgetId(id);
    const [stored, run] = await Promise.all([
      d.engine.getBudget(id),
      runId !== undefined ? d.engine.getRun(runId) : null,
    ]);
    const scopes = [...(change ? [change.scope] : []), ...(stored ? [stored.scope] : [])];
    assertMayManageBudget(key, id, scopes, run);
  };
  const upsert = async (id: string, body: Record<string, unknown>, key: ApiKeyRecord | null) => {
    if (body.id !== undefined && body.id !== id)
      throw new BudgetError("invalid_input", `body.id (${String(body.id)}) differs from the path (${id})`);
    await assertMayManage(key, id, { scope: body.scope });
    return d.engine.upsertBudget({ ...body, id } as never);
  };
  const requireBudget = async (id: string) => {
    const b = await d.engine.getBudget(id);
    if (!b) throw new BudgetError("not_found", `budget ${id} not found`, { budgetId: id });
    return b;
  };
  return [
    defineRoute({
      method: "get",
      path: "/v1/budgets",
      role: "reader",
      tag: "budgets",
      summary: "List budgets (`search`, `dimension`, `enforcement` filter them)",
      query: z.object({
        ...pageQuery,
        search: z.string().max(256).optional().meta({ description: "Part of the id, name or description" }),
        dimension: budgetStatusQuerySchema.shape.dimension.meta({
          description: "Budgets whose scope selects on this dimension",
        }),
        enforcement: budgetStatusQuerySchema.shape.enforcement.meta({
          description: "Budgets with a limit of this enforcement",
        }),
      }),
      response: { description: "A page of budgets", schema: pageWireSchema(budgetSchema) },
      handler: async ({ query }) => {
        const { limit, cursor, ...filter } = query;
        const budgets = (await d.engine.listBudgets()).filter((b) =>
          budgetPassesFilter(
            b,
            Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)),
          ),
        );
        return json(pageOf(budgets, limit, cursor));
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/budgets",
      writerScope: "run",
      role: "writer",
      tag: "budgets",
      summary: "Create or replace a budget (writers: only a run's own budgets)",
      body: budgetInputSchema,
      response: { status: 201, description: "The stored budget", schema: budgetSchema },
      handler: async ({ body, key }) => {
        await assertMayManage(key, body.id, { scope: body.scope });
        return json(await d.engine.upsertBudget(body), 201);
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/budgets/{id}",
      role: "reader",
      tag: "budgets",
      summary: "Show a budget",
      params: idParams,
      response: { description: "The budget", schema: budgetSchema },
      errors: ["not_found"],
      handler: async ({ params }) => json(await requireBudget(params.id)),
    }),
    defineRoute({
      method: "put",
      path: "/v1/budgets/{id}",
      writerScope: "run",
      role: "writer",
      tag: "budgets",
      summary: "Create or replace a budget (writers: only a run's own budgets)",
      params: idParams,
      body: budgetBody,
      response: { description: "The stored budget", schema: budgetSchema },
      handler: async ({ params, body, key }) => json(await upsert(params.id, body, key)),
    }),
    defineRoute({
      method: "delete",
      path: "/v1/budgets/{id}",
      role: "admin",
      tag: "budgets",
      summary: "Delete a budget (its ledger events stay)",
      params: idParams,
      response: { description: "Deleted", schema: z.strictObject({ deleted: z.literal(true) }) },
      errors: ["not_found"],
      handler: async ({ params }) => {
        if (!(await d.engine.deleteBudget(params.id)))
          throw new BudgetError("not_found", `budget ${params.id} not found`, { budgetId: params.id });
        return json({ deleted: true });
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/budgets/{id}/reset",
      writerScope: "run",
      role: "writer",
      tag: "budgets",
      summary: "Reset a budget: its windows start again now (writers: only a run's own budgets)",
      params: idParams,
      response: { description: "The reset budget", schema: budgetSchema },
      errors: ["not_found"],
      handler: async ({ params, key }) => {
        await assertMayManage(key, params.id);
        return json(await d.engine.resetBudget(params.id));
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/budgets/{id}/close",
      writerScope: "run",
      role: "writer",
      tag: "budgets",
      summary:
        "Close a budget now: kept with its counters and history, no longer matched (writers: only a run's own budgets)",
      params: idParams,
      response: { description: "The closed budget", schema: budgetSchema },
      errors: ["not_found"],
      handler: async ({ params, key }) => {
        await assertMayManage(key, params.id);
        return json(await d.engine.closeBudget(params.id));
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/budgets/{id}/reopen",
      writerScope: "run",
      role: "writer",
      tag: "budgets",
      summary: "Reopen a closed budget (writers: only a run's own budgets)",
      params: idParams,
      response: { description: "The reopened budget", schema: budgetSchema },
      errors: ["not_found"],
      handler: async ({ params, key }) => {
        await assertMayManage(key, params.id);
        return json(await d.engine.reopenBudget(params.id));
      },
    }),
    defineRoute({
      method: "put",
      path: "/v1/budgets/{id}/limits/{limitId}",
      role: "admin",
      tag: "budgets",
      summary: "Add or replace one limit of a budget",
      params: limitParams,
      body: z.record(z.string(), z.unknown()).meta({ description: "A limit (window, amounts, enforcement)" }),
      response: { description: "The stored budget", schema: budgetSchema },
      errors: ["not_found"],
      handler: async ({ params, body }) => {
        const b = await requireBudget(params.id);
        const limit = validate(limitSchema, { ...body, id: params.limitId }, "limit");
        const limits = [...b.limits.filter((l) => l.id !== params.limitId), limit];
        const { resetAt: _r, createdAt: _c, updatedAt: _u, ...input } = b;
        return json(await d.engine.upsertBudget({ ...input, limits }));
      },
    }),
    defineRoute({
      method: "delete",
      path: "/v1/budgets/{id}/limits/{limitId}",
      role: "admin",
      tag: "budgets",
      summary: "Remove one limit of a budget (a budget keeps at least one)",
      params: limitParams,
      response: { description: "The stored budget", schema: budgetSchema },
      errors: ["not_found"],
      handler: async ({ params }) => {
        const b = await requireBudget(params.id);
        if (!b.limits.some((l) => l.id === params.limitId))
          throw new BudgetError("not_found", `limit ${params.limitId} not found in budget ${params.id}`);
        const { resetAt: _r, createdAt: _c, updatedAt: _u, ...input } = b;
        return json(
          await d.engine.upsertBudget({ ...input, limits: b.limits.filter((l) => l.id !== params.limitId) }),
        );
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/status",
      role: "reader",
      tag: "status",
      summary: "Every open budget's limit windows: used, reserved, remaining, reset time",
      query: z.object({
        budgetId: z.string().min(1).optional(),
        partition: z.string().optional(),
        includeClosed: flag.meta({ description: "Also closed budgets (activeUntil passed); default false" }),
        order: z.enum(["id", "utilization"]).optional().meta({
          description: "`id` (default), or `utilization`: the closest to their limits first",
        }),
        limit: z.coerce.number().int().min(1).max(100_000).optional(),
      }),
      response: {
        description: "Limit statuses",
        schema: z.strictObject({ items: z.array(limitStatusWireSchema) }),
      },
      handler: async ({ query }) => {
        const { includeClosed, ...rest } = query;
        const q = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as StatusQuery;
        if (includeClosed === "true") q.includeClosed = true;
        return json({ items: (await d.engine.status(q)).map(limitStatusToWire) });
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/status/budgets",
      role: "reader",
      tag: "status",
      summary:
        "Open budgets with their limit statuses, filtered, sorted and a page at a time, with the summary's counts",
      query: z.object({
        search: z.string().max(256).optional().meta({ description: "Part of the id, name or description" }),
        dimension: budgetStatusQuerySchema.shape.dimension.meta({
          description: "Budgets whose scope selects on this dimension",
        }),
        enforcement: budgetStatusQuerySchema.shape.enforcement.meta({
          description: "Budgets with a limit of this enforcement",
        }),
        state: budgetStatusQuerySchema.shape.state.meta({
          description: "Its most used limit: `over` (≥ 100 %), `near` (≥ 80 %) or `within`",
        }),
        order: budgetStatusQuerySchema.shape.order.meta({
          description: "`utilization` (default, most used first), `reset` (soonest first), `name`, `id`",
        }),
        offset: z.coerce.number().int().min(0).max(10_000_000).optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional().meta({ description: "Default 25" }),
      }),
      response: {
        description: "`items` (budget, limits, utilization, resetsAt), `total` matching, `counts`",
        schema: budgetStatusPageWireSchema,
      },
      handler: async ({ query }) => {
        const q = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined));
        const page = await d.engine.budgetStatuses(q);
        return json({
          ...page,
          items: page.items.map((b) => ({ ...b, limits: b.limits.map(limitStatusToWire) })),
        });
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/status/summary",
      role: "reader",
      tag: "status",
      summary: "Limits by state (over, near 80 %, within) and the ones closest to their limits",
      query: z.object({
        top: z.coerce.number().int().min(0).max(1000).optional(),
        includeClosed: flag,
      }),
      response: { description: "Counts and the top limits", schema: statusSummaryWireSchema },
      handler: async ({ query }) => {
        const q: StatusSummaryQuery = {};
        if (query.top !== undefined) q.top = query.top;
        if (query.includeClosed === "true") q.includeClosed = true;
        const summary = await d.engine.statusSummary(q);
        return json({ counts: summary.counts, top: summary.top.map(limitStatusToWire) });
      },
    }),
  ];
}
