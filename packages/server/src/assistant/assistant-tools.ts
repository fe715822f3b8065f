import {
  type BudgetEngine,
  DIMENSIONS,
  limitStatusToWire,
  type ModelRecommendationRequest,
  type ReportQuery,
  reportRowToWire,
  type SpendAdviceQuery,
} from "@budget/core";

/** One tool the model may call: its OpenAI function definition and what it runs. */
interface AssistantTool {
  description: string;
  parameters: Record<string, unknown>;
  run(engine: BudgetEngine, args: Record<string, unknown>): Promise<unknown>;
}

const instant = { type: "string", description: "ISO 8601 time, e.g. 2026-07-01T00:00:00Z" };
const ms = (v: unknown) =>
  typeof v === "string" && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : undefined;

/**
 * The read API offered to the model: reports, status, advice, prices, recommendations. Nothing that
 * writes, and nothing about API keys, so the model never sees or changes them.
 */
export const ASSISTANT_TOOLS: Record<string, AssistantTool> = {
  get_report: {
    description: "Spend report from the ledger: events, tokens, requests and costUsd grouped by dimensions.",
    parameters: {
      type: "object",
      properties: {
        groupBy: { type: "array", items: { type: "string", enum: [...DIMENSIONS] } },
        from: instant,
        to: instant,
        dimensions: { type: "object", description: 'filters such as {"component":"planner"}' },
      },
    },
    async run(engine, args) {
      const q: ReportQuery = { groupBy: (args.groupBy as ReportQuery["groupBy"]) ?? [] };
      const from = ms(args.from);
      const to = ms(args.to);
      if (from !== undefined) q.from = from;
      if (to !== undefined) q.to = to;
      if (args.dimensions && typeof args.dimensions === "object") q.dimensions = args.dimensions as never;
      return { items: (await engine.report(q)).map(reportRowToWire) };
    },
  },
  get_status: {
    description: "Every budget limit's current window: used, reserved, limit, remaining, resetsAt.",
    parameters: { type: "object", properties: { budgetId: { type: "string" } } },
    async run(engine, args) {
      const rows = await engine.status(typeof args.budgetId === "string" ? { budgetId: args.budgetId } : {});
      return { items: rows.map(limitStatusToWire) };
    },
  },
  get_advice: {
    description:
      "Spend advice from the ledger: cheaper capable models with savings, caching, batch, budgets running out, estimates.",
    parameters: { type: "object", properties: { from: instant, to: instant } },
    async run(engine, args) {
      const q: SpendAdviceQuery = {};
      const from = ms(args.from);
      const to = ms(args.to);
      if (from !== undefined) q.from = from;
      if (to !== undefined) q.to = to;
      return engine.advise(q);
    },
  },
  get_price: {
    description: "The price version in force for a model: rates in USD per million tokens, capabilities.",
    parameters: {
      type: "object",
      properties: { model: { type: "string" }, provider: { type: "string" } },
      required: ["model"],
    },
    async run(engine, args) {
      const v = engine.catalog.resolve({
        model: String(args.model ?? ""),
        provider: typeof args.provider === "string" ? args.provider : undefined,
        at: engine.clock.now(),
      });
      return v ?? { found: false };
    },
  },
  recommend_models: {
    description:
      "Models meeting requirements, ranked by what a usage would cost, with the saving against a current model.",
    parameters: {
      type: "object",
      properties: {
        current: { type: "object", properties: { model: { type: "string" }, provider: { type: "string" } } },
        usage: { type: "object", description: "one call: inputTokens, outputTokens, cacheReadTokens…" },
        calls: { type: "integer" },
        requires: { type: "object" },
      },
      required: ["usage"],
    },
    run: (engine, args) => engine.recommendModels(args as ModelRecommendationRequest),
  },
};

/** The tools in the shape of OpenAI's `tools` parameter. */
export function openAiToolDefinitions() {
  return Object.entries(ASSISTANT_TOOLS).map(([name, t]) => ({
    type: "function" as const,
    function: { name, description: t.description, parameters: t.parameters },
  }));
}
