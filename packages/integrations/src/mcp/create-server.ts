import {
  type BudgetClient,
  type Catalog,
  capabilityRequirementsSchema,
  formatUsd,
  limitStatusToWire,
  usageEventToWire,
} from "@budget/core";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { checkBudget } from "./check-budget.js";
import { recommendModel } from "./recommend-model.js";
import { definedOnly, dimensionsArg, estimateArg, usageArg, usdArg } from "./schemas.js";
import { toolResult } from "./wire.js";

/** Options of {@link createBudgetMcpServer}. */
export interface BudgetMcpServerOptions {
  /** The engine or the HTTP client. */
  client: BudgetClient;
  /** When given, `estimate_cost` also returns the price's rates per million tokens. */
  catalog?: Catalog;
  /** Server name announced to clients (default `budget`). */
  name?: string;
}

/**
 * An MCP server with Budget's tools: `check_budget`, `estimate_cost`, `record_usage`,
 * `get_status`, `recommend_model`. Connect it to a transport (stdio, HTTP, in-memory).
 *
 * @example
 * const server = createBudgetMcpServer({ client: engine });
 * await server.connect(new StdioServerTransport());
 */
export function createBudgetMcpServer(options: BudgetMcpServerOptions): McpServer {
  const { client, catalog } = options;
  const server = new McpServer({ name: options.name ?? "budget", version: "0.1.0" });

  server.registerTool(
    "check_budget",
    {
      title: "Check budget",
      description:
        "Would an LLM call with these dimensions and this estimate be allowed now? Returns the decision, or the denial: which budget and limit blocked, what remains, when it resets.",
      inputSchema: {
        dimensions: dimensionsArg,
        estimate: estimateArg.optional(),
        costUsd: usdArg.optional(),
        priority: z.enum(["low", "normal", "high", "critical"]).optional(),
      },
    },
    async ({ dimensions, estimate, ...rest }) =>
      toolResult(
        await checkBudget(client, {
          ...definedOnly(rest),
          dimensions,
          ...(estimate ? { estimate: definedOnly(estimate) } : {}),
        }),
      ),
  );

  server.registerTool(
    "estimate_cost",
    {
      title: "Estimate cost",
      description: "What would this usage of this model cost? Returns USD and the price version used.",
      inputSchema: {
        model: z.string().min(1),
        provider: z.string().optional(),
        usage: usageArg,
        batch: z.boolean().optional(),
      },
    },
    async ({ model, provider, usage, batch }) => {
      const priced = await client.estimateCost({
        model,
        usage: definedOnly(usage),
        ...(provider ? { provider } : {}),
        ...(batch ? { batch } : {}),
      });
      if (!priced.ok) {
        return { ...toolResult({ priced: false, model, provider: provider ?? null }), isError: true };
      }
      const version = catalog && priced.priceVersionId ? catalog.getVersion(priced.priceVersionId) : null;
      return toolResult({
        priced: true,
        costUsd: formatUsd(priced.costNanoUsd),
        priceVersionId: priced.priceVersionId,
        pricing: priced.pricing,
        ...(version ? { ratesPerMillionTokens: version.tokenRates, source: version.source } : {}),
      });
    },
  );

  server.registerTool(
    "record_usage",
    {
      title: "Record usage",
      description:
        "Records the usage of a call that was made without a reservation; priced through the catalog unless costUsd is given.",
      inputSchema: {
        dimensions: dimensionsArg,
        usage: usageArg,
        costUsd: usdArg.optional(),
        idempotencyKey: z.string().min(1).max(256).optional(),
      },
    },
    async ({ dimensions, usage, costUsd, idempotencyKey }) => {
      const r = await client.record({
        dimensions,
        usage: definedOnly(usage),
        ...(costUsd ? { costUsd } : {}),
        ...(idempotencyKey ? { idempotencyKey } : {}),
      });
      return toolResult({
        status: r.status,
        event: usageEventToWire(r.event),
        alerts: r.alerts.map((a) => a.message),
      });
    },
  );

  server.registerTool(
    "get_status",
    {
      title: "Get budget status",
      description:
        "Used, reserved, limit and remaining of every budget limit's current window, with reset times.",
      inputSchema: { budgetId: z.string().optional(), partition: z.string().optional() },
    },
    async ({ budgetId, partition }) => {
      const rows = await client.status({
        ...(budgetId ? { budgetId } : {}),
        ...(partition ? { partition } : {}),
      });
      return toolResult({ limits: rows.map(limitStatusToWire) });
    },
  );

  server.registerTool(
    "recommend_model",
    {
      title: "Recommend a model",
      description:
        "Without candidates: the catalog's models that meet `requires` (tools, reasoning, modalities, context…; an unknown capability does not qualify), ranked by what `usage` (one call, times `calls`) would cost, with the saving against `current` and, given dimensions, whether the work fits the matching budgets. With candidates: the model whose call fits every matching budget now — rule first_fit (default): the first that fits, in the order given; cheapest: the fitting one with the lowest estimated cost.",
      inputSchema: {
        candidates: z.array(z.string().min(1)).min(1).max(50).optional(),
        estimate: estimateArg.optional(),
        usage: usageArg.optional().describe("the typical usage of one call (catalog ranking)"),
        calls: z.number().int().min(1).optional(),
        current: z.object({ model: z.string().min(1), provider: z.string().optional() }).optional(),
        requires: capabilityRequirementsSchema.optional(),
        providers: z.array(z.string().min(1)).min(1).max(100).optional(),
        limit: z.number().int().min(1).max(200).optional(),
        dimensions: dimensionsArg.optional(),
        provider: z.string().optional(),
        rule: z.enum(["first_fit", "cheapest"]).optional(),
      },
    },
    async ({ estimate, candidates, usage, calls, current, requires, providers, limit, ...args }) => {
      if (candidates) {
        return toolResult(
          await recommendModel(client, {
            ...definedOnly(args),
            candidates,
            estimate: definedOnly(estimate ?? usage ?? {}),
          }),
        );
      }
      const r = await client.recommendModels({
        usage: definedOnly(usage ?? estimate ?? {}),
        ...definedOnly({ calls, requires, providers, limit, dimensions: args.dimensions }),
        ...(current ? { current: definedOnly(current) as { model: string } } : {}),
      });
      const top = r.ranked[0];
      return toolResult({ recommended: top ? `${top.provider}/${top.model}` : null, rule: "catalog", ...r });
    },
  );

  return server;
}
