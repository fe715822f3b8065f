import { modelRecommendationRequestSchema } from "@budget/core";
import type { RouteDeps } from "../app/deps.js";
import { json } from "../app/inputs.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";

/** Advice: model recommendations for a task (and, see `advice.ts`, spend advice from the ledger). */
export function recommendationRoutes(d: RouteDeps): RouteDef[] {
  return [
    defineRoute({
      method: "post",
      path: "/v1/recommendations/model",
      role: "reader",
      tag: "advice",
      summary:
        "Models meeting a task's requirements, ranked by what its usage would cost, with the saving against the current model and whether the work fits the matching budgets",
      body: modelRecommendationRequestSchema,
      bodyCheck: "engine",
      response: { description: "The ranked models (money as USD strings) and how they were computed" },
      handler: async ({ body }) => json(await d.engine.recommendModels(body)),
    }),
  ];
}
