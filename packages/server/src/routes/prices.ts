import {
  BudgetError,
  bulkDecisionSchema,
  type PriceVersion,
  pageWireSchema,
  pendingPriceChangeSchema,
  priceUpdateReportSchema,
  priceVersionWireSchema,
  resolutionSchema,
} from "@budget/core";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { idParams, instantParam, json, pageOf, pageQuery } from "../app/inputs.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";

const modelQuery = {
  model: z.string().min(1).max(256),
  provider: z.string().min(1).max(256).optional(),
};

const byStart = (a: PriceVersion, b: PriceVersion) => a.effectiveFrom - b.effectiveFrom;

/** The price catalog: list, show (resolve a name), history, pending approvals; update/approve/reject with an updater. */
export function priceRoutes(d: RouteDeps): RouteDef[] {
  const resolve = (model: string, provider: string | undefined, at: number) => {
    const v = d.catalog.resolve({ model, provider, at });
    if (!v) throw new BudgetError("not_found", `no price for ${provider ? `${provider}/` : ""}${model}`);
    return v;
  };
  const routes: RouteDef[] = [
    defineRoute({
      method: "get",
      path: "/v1/prices",
      role: "reader",
      tag: "prices",
      summary: "Price versions in force (at `at`, default now), optionally of one provider",
      query: z.object({ provider: z.string().min(1).optional(), at: instantParam.optional(), ...pageQuery }),
      response: { description: "A page of price versions", schema: pageWireSchema(priceVersionWireSchema) },
      handler: ({ query }) => {
        const at = query.at ?? d.engine.clock.now();
        const inForce = d.catalog
          .versions()
          .filter(
            (v) =>
              v.effectiveFrom <= at &&
              (v.effectiveTo === null || at < v.effectiveTo) &&
              (!query.provider || v.provider === query.provider),
          )
          .sort((a, b) => a.provider.localeCompare(b.provider) || a.model.localeCompare(b.model));
        return json(pageOf(inForce, query.limit, query.cursor));
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/prices/show",
      role: "reader",
      tag: "prices",
      summary: "Resolve a model name (aliases, dated ids, provider prefixes) to the version in force",
      query: z.object({ ...modelQuery, at: instantParam.optional() }),
      response: { description: "The price version", schema: priceVersionWireSchema },
      errors: ["not_found"],
      handler: ({ query }) => json(resolve(query.model, query.provider, query.at ?? d.engine.clock.now())),
    }),
    defineRoute({
      method: "get",
      path: "/v1/prices/resolve",
      role: "reader",
      tag: "prices",
      summary:
        "What a (provider, model) name resolves to and why: the rule, the rewrites, the version (unknown included)",
      query: z.object({ ...modelQuery, at: instantParam.optional() }),
      response: {
        description: "The resolution: `found` and `version` are null for an unknown model",
        schema: resolutionSchema,
      },
      handler: ({ query }) =>
        json(
          d.catalog.explain({
            model: query.model,
            provider: query.provider,
            at: query.at ?? d.engine.clock.now(),
          }),
        ),
    }),
    defineRoute({
      method: "get",
      path: "/v1/prices/history",
      role: "reader",
      tag: "prices",
      summary: "Every version of a model's price, oldest first",
      query: z.object(modelQuery),
      response: {
        description: "Price versions",
        schema: z.strictObject({
          provider: z.string(),
          model: z.string(),
          items: z.array(priceVersionWireSchema),
        }),
      },
      errors: ["not_found"],
      handler: ({ query }) => {
        const now = resolve(query.model, query.provider, d.engine.clock.now());
        const items = d.catalog
          .versions()
          .filter((v) => v.provider === now.provider && v.model === now.model)
          .sort(byStart);
        return json({ provider: now.provider, model: now.model, items });
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/prices/versions/{id}",
      role: "reader",
      tag: "prices",
      summary: "A price version by id (past versions included)",
      params: idParams,
      response: { description: "The price version", schema: priceVersionWireSchema },
      errors: ["not_found"],
      handler: ({ params }) => {
        const v = d.catalog.getVersion(params.id);
        if (!v) throw new BudgetError("not_found", `price version ${params.id} not found`);
        return json(v);
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/prices/pending",
      role: "reader",
      tag: "prices",
      summary: "Price changes held for approval",
      query: z.object({ status: z.enum(["pending", "approved", "rejected"]).default("pending") }),
      response: {
        description: "Pending price changes",
        schema: z.strictObject({ items: z.array(pendingPriceChangeSchema) }),
      },
      handler: async ({ query }) =>
        json({ items: await d.store.listPendingPriceChanges({ status: query.status }) }),
    }),
  ];
  const updater = d.updater;
  if (!updater) return routes;
  const bulkBody = z
    .object({
      sourceId: z.string().min(1).max(64).optional(),
      provider: z.string().min(1).max(256).optional(),
      runId: z.string().min(1).max(128).optional(),
      /** Required to decide every pending change at once (no filter). */
      all: z.literal(true).optional(),
    })
    .strict()
    .refine((b) => b.all === true || b.sourceId || b.provider || b.runId, {
      message: "give sourceId, provider or runId (or all: true)",
    });
  const decideMany = (verb: "approve" | "reject") =>
    defineRoute({
      method: "post",
      path: `/v1/prices/pending/${verb}`,
      role: "admin",
      tag: "prices",
      summary: `${verb === "approve" ? "Apply" : "Discard"} every pending change of a source, a provider or an update run`,
      body: bulkBody,
      response: {
        description: "The ids decided, and those someone else decided meanwhile",
        schema: bulkDecisionSchema,
      },
      errors: ["not_found"],
      handler: async ({ body }) => {
        if (!updater.decideMany) throw new BudgetError("not_found", "bulk decisions are not available");
        const { all: _all, ...filter } = body;
        const result = await updater.decideMany(verb === "approve" ? "approved" : "rejected", filter);
        d.hub.publish("price_change", { pendingIds: result.ids, decision: verb });
        return json(result);
      },
    });
  const decide = (verb: "approve" | "reject") =>
    defineRoute({
      method: "post",
      path: `/v1/prices/pending/{id}/${verb}`,
      role: "admin",
      tag: "prices",
      summary: `${verb === "approve" ? "Apply" : "Discard"} a quarantined price change`,
      params: idParams,
      response: {
        description: `${verb === "approve" ? "The price version now in force" : "The rejected change"}`,
        schema: verb === "approve" ? priceVersionWireSchema : pendingPriceChangeSchema,
      },
      errors: ["not_found", "conflict"],
      handler: async ({ params }) => {
        const result = await updater[verb](params.id);
        d.hub.publish("price_change", { pendingId: params.id, decision: verb });
        return json(result);
      },
    });
  return [
    ...routes,
    defineRoute({
      method: "post",
      path: "/v1/prices/update",
      role: "admin",
      tag: "prices",
      summary: "Fetch every price source now; apply checked changes, quarantine suspicious ones",
      response: { description: "The update report", schema: priceUpdateReportSchema },
      handler: async () => {
        const report = await updater.update();
        d.hub.publish("price_change", { report });
        return json(report);
      },
    }),
    decideMany("approve"),
    decideMany("reject"),
    decide("approve"),
    decide("reject"),
  ];
}
