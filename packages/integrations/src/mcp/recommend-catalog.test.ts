import { createBudgetEngine, createManualClock, createMemoryStore } from "@budget/core";
import { createAdviceCatalog } from "@budget/core/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { describe, expect, it } from "vitest";
import { createBudgetMcpServer } from "./create-server.js";

describe("MCP recommend_model without candidates", () => {
  it("answers with the engine's own recommendation (same function)", async () => {
    const engine = createBudgetEngine({
      store: createMemoryStore(),
      catalog: createAdviceCatalog(),
      clock: createManualClock("2026-07-01T00:00:00Z"),
    });
    const server = createBudgetMcpServer({ client: engine });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: "test", version: "1.0.0" });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    const args = {
      current: { model: "big" },
      usage: { inputTokens: 1000, outputTokens: 200 },
      requires: { capabilities: ["tools"] },
    };
    const r = await client.callTool({ name: "recommend_model", arguments: args });
    const value = r.structuredContent as Record<string, unknown>;
    const direct = JSON.parse(JSON.stringify(await engine.recommendModels(args as never)));
    expect(value).toEqual({ recommended: "acme/small", rule: "catalog", ...direct });
    await client.close();
  });
});
