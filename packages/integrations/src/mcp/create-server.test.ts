import type { BudgetEngine } from "@budget/core";
import { createTestCatalog } from "@budget/core/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestEngine, ledger, teamStatus } from "../call-guard/test-support.js";
import { createBudgetMcpServer } from "./create-server.js";

let engine: BudgetEngine;
let client: Client;

beforeEach(async () => {
  // $0.01 for everything: 1,000 input + 1,000 output tokens of test-model cost $0.003.
  engine = await createTestEngine({ cost: "0.01" });
  const server = createBudgetMcpServer({ client: engine, catalog: createTestCatalog() });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  client = new Client({ name: "test", version: "1.0.0" });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
});
afterEach(() => client.close());

async function call(name: string, args: Record<string, unknown>) {
  const r = await client.callTool({ name, arguments: args });
  return { isError: r.isError === true, value: r.structuredContent as Record<string, unknown> };
}

describe("Budget MCP server", () => {
  it("lists the five tools with input schemas", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      "check_budget",
      "estimate_cost",
      "get_status",
      "recommend_model",
      "record_usage",
    ]);
    const check = tools.find((t) => t.name === "check_budget");
    expect(check?.inputSchema.required).toEqual(["dimensions"]);
  });

  it("check_budget: allows and leaves nothing reserved, or denies naming the limit", async () => {
    const ok = await call("check_budget", {
      dimensions: { model: "test-model" },
      estimate: { inputTokens: 1000, outputTokens: 1000 },
    });
    expect(ok.value).toMatchObject({ allowed: true, estimate: { tokens: 2000, costUsd: "0.003000000" } });
    expect((await teamStatus(engine)).reserved.tokens).toBe(0);
    const no = await call("check_budget", {
      dimensions: { model: "test-model" },
      estimate: { inputTokens: 1000, outputTokens: 10_000 },
    });
    expect(no.value).toMatchObject({
      allowed: false,
      denial: {
        reason: "limit_exceeded",
        budgetId: "team",
        limitId: "all",
        remaining: { costUsd: "0.010000000" },
      },
    });
  });

  it("estimate_cost: USD, price version and rates", async () => {
    const r = await call("estimate_cost", {
      model: "test-model",
      usage: { inputTokens: 1500, outputTokens: 250 },
    });
    expect(r.value).toEqual({
      priced: true,
      costUsd: "0.002000000",
      priceVersionId: "test:test-model:1",
      pricing: "priced",
      ratesPerMillionTokens: { input: "1", output: "2", cacheRead: "0.1", cacheWrite: "1.25" },
      source: "manual",
    });
    const unknown = await call("estimate_cost", { model: "nobody-knows", usage: { inputTokens: 1 } });
    expect(unknown.isError).toBe(true);
    expect(unknown.value).toMatchObject({ priced: false });
  });

  it("record_usage and get_status: the ledger and the counters move", async () => {
    const r = await call("record_usage", {
      dimensions: { model: "test-model", component: "agent" },
      usage: { inputTokens: 2000, outputTokens: 500 },
      idempotencyKey: "call-1",
    });
    expect(r.value).toMatchObject({ status: "committed", event: { costUsd: "0.003000000" } });
    const again = await call("record_usage", {
      dimensions: { model: "test-model", component: "agent" },
      usage: { inputTokens: 2000, outputTokens: 500 },
      idempotencyKey: "call-1",
    });
    expect(again.value).toMatchObject({ status: "duplicate" });
    expect(await ledger(engine)).toHaveLength(1);
    const s = await call("get_status", {});
    expect(s.value.limits).toEqual([
      expect.objectContaining({
        budgetId: "team",
        limitId: "all",
        used: { tokens: 2500, costUsd: "0.003000000", requests: 1 },
        limit: { costUsd: "0.010000000" },
        remaining: { costUsd: "0.007000000" },
        resetsAt: null,
      }),
    ]);
    const bad = await call("record_usage", {
      dimensions: { model: "test-model" },
      usage: { inputTokens: -1 },
    });
    expect(bad.isError).toBe(true);
  });

  it("recommend_model: first fitting candidate in order, or the cheapest fitting one", async () => {
    // test-model: 1,000 in + 4,000 out = $0.009; test-mini: $0.0009; unpriced models never fit.
    await call("record_usage", { dimensions: { model: "test-model" }, usage: { inputTokens: 2000 } });
    const estimate = { inputTokens: 1000, outputTokens: 4000 };
    const first = await call("recommend_model", {
      candidates: ["gpt-unpriced", "test-model", "test-mini"],
      estimate,
    });
    expect(first.value.recommended).toBe("test-mini");
    expect(first.value.candidates).toEqual([
      expect.objectContaining({ model: "gpt-unpriced", fits: false, costUsd: null }),
      expect.objectContaining({ model: "test-model", fits: false, costUsd: "0.009000000" }),
      expect.objectContaining({ model: "test-mini", fits: true, costUsd: "0.000900000" }),
    ]);
    const small = { inputTokens: 100, outputTokens: 100 };
    const ordered = await call("recommend_model", {
      candidates: ["test-model", "test-mini"],
      estimate: small,
    });
    expect(ordered.value.recommended).toBe("test-model");
    const cheapest = await call("recommend_model", {
      candidates: ["test-model", "test-mini"],
      estimate: small,
      rule: "cheapest",
    });
    expect(cheapest.value).toMatchObject({ recommended: "test-mini", rule: "cheapest" });
    expect((await teamStatus(engine)).reserved.tokens).toBe(0);
  });
});
