import { assistantAnswerSchema } from "@budget/core";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { json } from "../app/inputs.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";

/** `POST /v1/assistant`: exists only when the assistant is enabled (`assistant.enabled`). */
export function assistantRoutes(d: RouteDeps): RouteDef[] {
  const assistant = d.assistant;
  if (!assistant) return [];
  return [
    defineRoute({
      method: "post",
      path: "/v1/assistant",
      role: "reader",
      tag: "advice",
      summary:
        "Ask the assistant about spend: it reads reports, status, advice and prices as tools and answers with the figures it used (its own model calls are budgeted under component budget-assistant)",
      body: z.object({ question: z.string().min(1).max(4000) }).strict(),
      response: {
        description: "`answered` with the answer and its citations, `denied` by its budget, or `failed`",
        schema: assistantAnswerSchema,
      },
      handler: async ({ body }) => json(await assistant.ask(body.question)),
    }),
  ];
}
