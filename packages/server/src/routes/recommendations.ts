import {
  modelRecommendationRequestSchema,
  modelRecommendationSchema,
  type SpendAdviceQuery,
  spendAdviceQuerySchema,
  spendAdviceSchema,
} from "@budget/core";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { dimensionQuery, dimensionsFromQuery, instantParam, json } from "../app/inputs.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";

const adviceGetQuery = z.object({
  from: instantParam.optional(),
  to: instantParam.optional(),
  minSharePct: z.coerce.number().min(0).max(100).optional(),
  alternatives: z.coerce.number().int().min(1).max(10).optional(),
  ...dimensionQuery,
});

const ADVICE_SUMMARY =
  "Spend advice from the ledger (default: the last 30 days): per material (component, taskType, provider, model), cheaper capable models priced on its actual calls; low cache reads; batchable spend; budgets forecast to run out before they reset; estimated usage — each item with the report queries that reproduce its figures";

const adviceResponse = {
  description: "The advice items (money as USD strings), each with its method and queries",
  schema: spendAdviceSchema,
};

/** Advice: model recommendations for a task, and spend advice from the ledger. */
export function recommendationRoutes(d: RouteDeps): RouteDef[] {
  return [
    defineRoute({
      method: "get",
      path: "/v1/recommendations",
      role: "reader",
      tag: "advice",
      summary: ADVICE_SUMMARY,
      query: adviceGetQuery,
      response: adviceResponse,
      handler: async ({ query }) => {
        const q: SpendAdviceQuery = {};
        if (query.from !== undefined) q.from = query.from;
        if (query.to !== undefined) q.to = query.to;
        if (query.minSharePct !== undefined) q.minSharePct = query.minSharePct;
        if (query.alternatives !== undefined) q.alternatives = query.alternatives;
        const dims = dimensionsFromQuery(query);
        if (dims) q.dimensions = dims;
        return json(await d.engine.advise(q));
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/recommendations",
      role: "reader",
      tag: "advice",
      summary: "Spend advice with the query as a JSON body",
      body: spendAdviceQuerySchema,
      bodyCheck: "engine",
      response: adviceResponse,
      handler: async ({ body }) => json(await d.engine.advise(body)),
    }),
    defineRoute({
      method: "post",
      path: "/v1/recommendations/model",
      role: "reader",
      tag: "advice",
      summary:
        "Models meeting a task's requirements, ranked by what its usage would cost, with the saving against the current model and whether the work fits the matching budgets",
      body: modelRecommendationRequestSchema,
      bodyCheck: "engine",
      response: {
        description: "The ranked models (money as USD strings) and how they were computed",
        schema: modelRecommendationSchema,
      },
      handler: async ({ body }) => json(await d.engine.recommendModels(body)),
    }),
  ];
}
